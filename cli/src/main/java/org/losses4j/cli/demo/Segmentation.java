package org.losses4j.cli.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;

/** 4. Segmenting small, faint blobs in noisy images with a 5×5 convolution + sigmoid. */
final class Segmentation implements Experiment {
    private static final int K = 5;

    @Override
    public Outcome run(long seed, boolean quick, Progress progress) {
        SplittableRandom r = new SplittableRandom(seed);
        int s = quick ? 24 : 32;
        int nTrain = quick ? 24 : 48;
        int nTest = 48;
        double[][] train = images(r, nTrain, s);
        double[][] test = images(r, nTest, s);
        int epochs = quick ? 150 : 300;
        Outcome o = new Outcome("foreground IoU", "recall", "precision");
        o.higherIsBetter.add("foreground IoU");
        String[] names = {"pixel cross-entropy", "dice", "tversky (α=0.3, β=0.7)"};
        Map<String, double[]> kernels = new LinkedHashMap<>();
        for (String name : names) {
            progress.step(name);
            Loss loss = name.startsWith("pixel") ? Losses.create("bce_with_logits")
                    : name.equals("dice") ? Losses.create("dice")
                    : Losses.create("tversky", Map.of("alpha", 0.3, "beta", 0.7));
            boolean onLogits = name.startsWith("pixel");
            double[] w = new double[K * K + 1];
            Train.Adam adam = new Train.Adam(w.length, 0.05);
            double[] curve = new double[epochs];
            Tensor mask = Tensor.of(train[1], nTrain, 1, s, s);
            Trace trace = new Trace(epochs);
            DoubleSupplier iou = () -> measure(test, nTest, s, w)[0];
            for (int e = 0; e < epochs; e++) {
                trace.before(e, iou);
                double[] z = conv(train[0], nTrain, s, w);
                double[] p = new double[z.length];
                for (int i = 0; i < z.length; i++) {
                    p[i] = Train.sigmoid(z[i]);
                }
                LossResult res = loss.compute(Inputs.of(Tensor.of(onLogits ? z : p, nTrain, 1, s, s), mask));
                curve[e] = res.value();
                double[] g = res.grad().f64();
                if (!onLogits) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= p[i] * (1 - p[i]); // chain rule through the sigmoid
                    }
                }
                adam.step(w, convBackward(train[0], nTrain, s, g));
            }
            o.curve(name, curve);
            trace.last(epochs, iou);
            o.testCurve(name, trace);
            o.row(name, measure(test, nTest, s, w));
            kernels.put(name, w);
        }
        o.shows(0, false, masks(o, test, s, kernels),
                "the first " + SHOWN + " test images (noisy, the blobs faint), their true masks, and the"
                + " mask each trained model predicts (probability above 0.5) in its colour over the true mask in"
                + " light grey: a light-coloured pixel is a false positive, a grey one a false negative.");
        double ce = o.get(names[0], 0);
        double dice = o.get(names[1], 0);
        double tv = o.get(names[2], 0);
        boolean borne = dice > ce || tv > ce;
        o.rule = "borne out if Dice or Tversky has a higher foreground IoU than pixel cross-entropy";
        o.verdict(borne, (borne ? "an overlap loss beat pixel cross-entropy on foreground IoU" :
                "pixel cross-entropy was not beaten on foreground IoU this run") + " (dice " + Train.fmt(dice)
                + ", tversky " + Train.fmt(tv) + ", cross-entropy " + Train.fmt(ce) + "); Tversky's β > α traded"
                + " precision for recall (" + Train.fmt(o.get(names[2], 1)) + " vs dice " + Train.fmt(o.get(names[1], 1))
                + ")");
        return o;
    }

    /** {foreground IoU, recall, precision} of the thresholded predictions on the test images. */
    static double[] measure(double[][] test, int nTest, int s, double[] w) {
        double[] z = conv(test[0], nTest, s, w);
        double tp = 0;
        double fp = 0;
        double fn = 0;
        for (int i = 0; i < z.length; i++) {
            boolean pred = z[i] > 0;
            boolean truth = test[1][i] > 0.5;
            tp += pred && truth ? 1 : 0;
            fp += pred && !truth ? 1 : 0;
            fn += !pred && truth ? 1 : 0;
        }
        return new double[] {tp / (tp + fp + fn), tp / (tp + fn), tp + fp == 0 ? 0 : tp / (tp + fp)};
    }

    static final int SHOWN = 3;
    private static final int PX = 4;

    /** Rows of panels: image, true mask, then each model's predicted mask, for the first test images. */
    static String masks(Outcome o, double[][] test, int s, Map<String, double[]> kernels) {
        int panel = s * PX;
        int gap = 14;
        int top = 18;
        int cols = 2 + kernels.size();
        int width = cols * (panel + gap);
        int height = top + SHOWN * (panel + gap);
        java.util.List<String> placed = new java.util.ArrayList<>();
        java.util.List<String> heads = new java.util.ArrayList<>(java.util.List.of("image", "true mask"));
        heads.addAll(kernels.keySet());
        for (int c = 0; c < cols; c++) {
            placed.add(Svg.text(c * (panel + gap) + panel / 2.0, 12, "middle", heads.get(c), "font-size=\"10\""));
        }
        for (int k = 0; k < SHOWN; k++) {
            int y = top + k * (panel + gap);
            int off = k * s * s;
            placed.add(image(0, y, s, test[0], off));
            placed.add(mask(panel + gap, y, s, test[1], off, null, "#000"));
            int c = 2;
            for (Map.Entry<String, double[]> m : kernels.entrySet()) {
                double[] z = conv(test[0], SHOWN, s, m.getValue());
                placed.add(mask(c++ * (panel + gap), y, s, z, off, test[1], o.colour(m.getKey())));
            }
        }
        return Svg.row("learned-plot", " data-kind=\"masks\"", width, height, placed);
    }

    /** The image in grey levels (eight of them), one rect per run of equal level in a row. */
    private static String image(int x0, int y0, int s, double[] img, int off) {
        StringBuilder b = new StringBuilder("<g class=\"image\">");
        for (int i = 0; i < s; i++) {
            int j = 0;
            while (j < s) {
                int level = level(img[off + i * s + j]);
                int end = j + 1;
                while (end < s && level(img[off + i * s + end]) == level) {
                    end++;
                }
                int g = 255 - level * 32;
                b.append("<rect x=\"").append(x0 + j * PX).append("\" y=\"").append(y0 + i * PX).append("\" width=\"")
                        .append((end - j) * PX).append("\" height=\"").append(PX).append("\" fill=\"rgb(").append(g)
                        .append(',').append(g).append(',').append(g).append(")\"/>");
                j = end;
            }
        }
        return b.append("</g>").toString();
    }

    private static int level(double v) {
        return Math.max(0, Math.min(7, (int) Math.floor((v + 1.2) / 3.2 * 8)));
    }

    /**
     * A mask (values above 0.5, or logits above 0 when {@code truth} is given) as runs of foreground
     * pixels; with {@code truth}, predicted pixels outside it are drawn in a lighter shade.
     */
    private static String mask(int x0, int y0, int s, double[] v, int off, double[] truth, String colour) {
        double cut = truth == null ? 0.5 : 0;
        StringBuilder b = new StringBuilder("<g class=\"mask\"><rect x=\"").append(x0).append("\" y=\"").append(y0)
                .append("\" width=\"").append(s * PX).append("\" height=\"").append(s * PX)
                .append("\" fill=\"#fff\" stroke=\"#999\"/>");
        if (truth != null) { // the true mask's outline under the prediction
            for (int i = 0; i < s * s; i++) {
                if (truth[off + i] > 0.5) {
                    b.append("<rect x=\"").append(x0 + (i % s) * PX).append("\" y=\"").append(y0 + (i / s) * PX)
                            .append("\" width=\"").append(PX).append("\" height=\"").append(PX)
                            .append("\" fill=\"#ddd\"/>");
                }
            }
        }
        for (int i = 0; i < s * s; i++) {
            if (v[off + i] > cut) {
                boolean wrong = truth != null && truth[off + i] <= 0.5;
                b.append("<rect x=\"").append(x0 + (i % s) * PX).append("\" y=\"").append(y0 + (i / s) * PX)
                        .append("\" width=\"").append(PX).append("\" height=\"").append(PX).append("\" fill=\"")
                        .append(colour).append('"').append(wrong ? " fill-opacity=\"0.45\"" : "").append("/>");
            }
        }
        return b.append("</g>").toString();
    }

    /** {images [n, s, s], masks [n, s, s]}: 1 to 3 disks of radius 1.5 to 3, faint against noise. */
    static double[][] images(SplittableRandom r, int n, int s) {
        double[] img = new double[n * s * s];
        double[] mask = new double[n * s * s];
        for (int k = 0; k < n; k++) {
            int blobs = 1 + r.nextInt(3);
            for (int b = 0; b < blobs; b++) {
                double cy = 3 + r.nextDouble() * (s - 6);
                double cx = 3 + r.nextDouble() * (s - 6);
                double rad = 1.5 + 1.5 * r.nextDouble();
                for (int i = 0; i < s; i++) {
                    for (int j = 0; j < s; j++) {
                        if ((i - cy) * (i - cy) + (j - cx) * (j - cx) <= rad * rad) {
                            mask[(k * s + i) * s + j] = 1;
                        }
                    }
                }
            }
            for (int i = 0; i < s * s; i++) {
                img[k * s * s + i] = 0.8 * mask[k * s * s + i] + 0.7 * Train.normal(r);
            }
        }
        return new double[][] {img, mask};
    }

    /** Same-size 5×5 convolution (zero padding) + bias: logits [n, s, s]. */
    static double[] conv(double[] img, int n, int s, double[] w) {
        double[] out = new double[n * s * s];
        int h = K / 2;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    double v = w[K * K];
                    for (int a = 0; a < K; a++) {
                        int ii = i + a - h;
                        if (ii < 0 || ii >= s) {
                            continue;
                        }
                        for (int b = 0; b < K; b++) {
                            int jj = j + b - h;
                            if (jj >= 0 && jj < s) {
                                v += w[a * K + b] * img[(k * s + ii) * s + jj];
                            }
                        }
                    }
                    out[(k * s + i) * s + j] = v;
                }
            }
        }
        return out;
    }

    static double[] convBackward(double[] img, int n, int s, double[] g) {
        double[] gw = new double[K * K + 1];
        int h = K / 2;
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < s; j++) {
                    double go = g[(k * s + i) * s + j];
                    gw[K * K] += go;
                    for (int a = 0; a < K; a++) {
                        int ii = i + a - h;
                        if (ii < 0 || ii >= s) {
                            continue;
                        }
                        for (int b = 0; b < K; b++) {
                            int jj = j + b - h;
                            if (jj >= 0 && jj < s) {
                                gw[a * K + b] += go * img[(k * s + ii) * s + jj];
                            }
                        }
                    }
                }
            }
        }
        return gw;
    }
}
