package org.losses4j.vision;

import java.util.Arrays;

/**
 * The convolution machinery of ssim and ms_ssim: local means of image planes under a separable
 * window, the SSIM ratios built from them, and the adjoint that carries derivatives back to the
 * pixels.
 *
 * <p>A 1-D kernel {@code k} of F taps is applied along rows, then along columns, as PyTorch's
 * {@code conv2d} does (a cross-correlation) with zero padding P on each side:
 * {@code out[i][j] = Σ_a Σ_b k[a]·k[b]·x[i + a − P][j + b − P]}, the taps outside the plane
 * contributing nothing, so the output is (H + 2P − F + 1) × (W + 2P − F + 1). P = 0 is a "valid"
 * convolution (ssim); ms_ssim pads by ⌊2σ⌋. Only the taps inside the plane are visited: a map
 * costs at most H·W·(min(F, W) + min(F, H)) multiply-adds, however long the window.
 *
 * <p>The map is linear in the plane, so its adjoint (the transposed convolution, the same
 * window scattered back) maps a derivative with respect to the output to one with respect to
 * the plane. One instance holds the scratch for one plane size; it is not shared between threads.
 */
final class WindowedMoments {
    private final int h;
    private final int w;
    private final int ho;
    private final int wo;
    private final int pad;
    private final int taps;
    /** The planes x, y, x², y², xy (H × W each), then their horizontal pass (5 maps of H × Wo). */
    private final double[] planes;
    private final double[] hor;
    /** The adjoint's vertical pass (3 maps of H × Wo) and horizontal pass (3 maps of H × W). */
    private final double[] adjV;
    private final double[] adjH;

    /**
     * The machinery for H × W planes and windows of {@code taps} taps with zero padding {@code pad}
     * (each call names its window: ms_ssim applies several of one size). The output must not be empty.
     */
    WindowedMoments(int h, int w, int taps, int pad) {
        this.h = h;
        this.w = w;
        this.taps = taps;
        this.pad = pad;
        this.ho = h + 2 * pad - taps + 1;
        this.wo = w + 2 * pad - taps + 1;
        this.planes = new double[5 * h * w];
        this.hor = new double[5 * h * wo];
        this.adjV = new double[3 * h * wo];
        this.adjH = new double[3 * h * w];
    }

    /**
     * The normalised 1-D Gaussian window of {@code size} taps centred on tap {@code size / 2}
     * (integer division: for an even size one tap longer on the left, as kornia's
     * {@code _fspecial_gauss_1d}): {@code exp(−(i − size/2)² / (2σ²))} divided by its sum.
     */
    static double[] gaussian(int size, double sigma) {
        double[] k = new double[size];
        int c = size / 2;
        double s = 0;
        for (int i = 0; i < size; i++) {
            double d = i - c;
            k[i] = Math.exp(-d * d / (2 * sigma * sigma));
            s += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= s;
        }
        return k;
    }

    /** Output rows: H + 2P − F + 1. */
    int outH() {
        return ho;
    }

    /** Output columns: W + 2P − F + 1. */
    int outW() {
        return wo;
    }

    /** The size of one output map. */
    int outSize() {
        return ho * wo;
    }

    /**
     * The five means under the window {@code k} of the planes of {@code x} and {@code y} at
     * {@code off} into {@code mom} (5 maps of Ho × Wo): μx, μy, E[x²], E[y²], E[xy].
     */
    void moments(double[] k, double[] x, double[] y, int off, double[] mom) {
        int ps = h * w;
        for (int p = 0; p < ps; p++) {
            double xv = x[off + p];
            double yv = y[off + p];
            planes[p] = xv;
            planes[ps + p] = yv;
            planes[2 * ps + p] = xv * xv;
            planes[3 * ps + p] = yv * yv;
            planes[4 * ps + p] = xv * yv;
        }
        correlate(k, planes, 0, 5, mom);
    }

    /** The map of the one plane of {@code src} at {@code off} under the window {@code k} into {@code out} (Ho × Wo). */
    void smooth(double[] k, double[] src, int off, double[] out) {
        correlate(k, src, off, 1, out);
    }

    /** The window {@code k} applied to {@code maps} consecutive H × W planes of {@code src} from {@code off}. */
    private void correlate(double[] k, double[] src, int off, int maps, double[] out) {
        int f = taps;
        int hs = h * wo;
        // horizontal: hor[i][j] = Σ_b k[b]·src[i][j + b − P] over the taps inside the row
        for (int m = 0; m < maps; m++) {
            for (int i = 0; i < h; i++) {
                int row = off + m * h * w + i * w - pad;
                int to = m * hs + i * wo;
                for (int j = 0; j < wo; j++) {
                    int lo = Math.max(0, pad - j);
                    int hi = Math.min(f, w + pad - j);
                    double s = 0;
                    for (int b = lo; b < hi; b++) {
                        s += k[b] * src[row + j + b];
                    }
                    hor[to + j] = s;
                }
            }
        }
        // vertical: out[i][j] = Σ_a k[a]·hor[i + a − P][j] over the rows inside the plane
        int ms = ho * wo;
        for (int m = 0; m < maps; m++) {
            int dst = m * ms;
            Arrays.fill(out, dst, dst + ms, 0.0);
            for (int i = 0; i < ho; i++) {
                int lo = Math.max(0, pad - i);
                int hi = Math.min(f, h + pad - i);
                int to = dst + i * wo;
                for (int a = lo; a < hi; a++) {
                    double ka = k[a];
                    int from = m * hs + (i + a - pad) * wo;
                    for (int j = 0; j < wo; j++) {
                        out[to + j] += ka * hor[from + j];
                    }
                }
            }
        }
    }

    /**
     * The adjoint of the window on {@code maps} consecutive Ho × Wo maps of {@code d} (from 0):
     * {@code adjH} (H × W each) receives {@code Σ_o d[o]·∂out[o]/∂plane}.
     */
    private void adjoint(double[] k, double[] d, int maps) {
        int f = taps;
        int ms = ho * wo;
        int hs = h * wo;
        // vertical: adjV[i + a − P][j] += k[a]·d[i][j]
        Arrays.fill(adjV, 0, maps * hs, 0.0);
        for (int m = 0; m < maps; m++) {
            for (int i = 0; i < ho; i++) {
                int lo = Math.max(0, pad - i);
                int hi = Math.min(f, h + pad - i);
                int from = m * ms + i * wo;
                for (int a = lo; a < hi; a++) {
                    double ka = k[a];
                    int to = m * hs + (i + a - pad) * wo;
                    for (int j = 0; j < wo; j++) {
                        adjV[to + j] += ka * d[from + j];
                    }
                }
            }
        }
        // horizontal: adjH[i][j + b − P] += k[b]·adjV[i][j]
        int ps = h * w;
        Arrays.fill(adjH, 0, maps * ps, 0.0);
        for (int m = 0; m < maps; m++) {
            for (int i = 0; i < h; i++) {
                int from = m * hs + i * wo;
                int row = m * ps + i * w - pad;
                for (int j = 0; j < wo; j++) {
                    double v = adjV[from + j];
                    int lo = Math.max(0, pad - j);
                    int hi = Math.min(f, w + pad - j);
                    for (int b = lo; b < hi; b++) {
                        adjH[row + j + b] += k[b] * v;
                    }
                }
            }
        }
    }

    /**
     * Adds to {@code gx} (the plane at {@code off}) the gradient of a function of the moments under {@code k}
     * whose derivatives with respect to μx, E[x²] and E[xy] are the three maps of {@code dmom}:
     * μx = K·x, E[x²] = K·x², E[xy] = K·(xy), so d/dx = adj(dμx) + 2x·adj(dE[x²]) + y·adj(dE[xy]).
     */
    void backMoments(double[] k, double[] x, double[] y, int off, double[] dmom, double[] gx) {
        adjoint(k, dmom, 3);
        int ps = h * w;
        for (int p = 0; p < ps; p++) {
            int e = off + p;
            gx[e] += adjH[p] + 2 * x[e] * adjH[ps + p] + y[e] * adjH[2 * ps + p];
        }
    }

    /**
     * Adds to {@code gx} (the plane at {@code off}) {@code factor[p]·(adjoint of d under k)[p]} per pixel p
     * ({@code factor} one H × W plane from 0): the gradient of {@code Σ_o d[o]·smooth(k, v)[o]} for a
     * per-pixel v(x) with dv/dx = factor.
     */
    void backSmooth(double[] k, double[] d, double[] factor, double[] gx, int off) {
        adjoint(k, d, 1);
        int ps = h * w;
        for (int p = 0; p < ps; p++) {
            gx[off + p] += factor[p] * adjH[p];
        }
    }

    /**
     * Per position o of the moments {@code mom} (5 maps of {@code ms} positions): the luminance
     * ratio {@code lc = (2μxμy + C1)/(μx² + μy² + C1)} and the contrast-structure ratio
     * {@code cs = (2σxy + C2)/(σx² + σy² + C2)}, σx² = E[x²] − μx², σxy = E[xy] − μxμy. Each ratio is
     * O(1) (the products of the two numerators and denominators are ~x⁴ and overflowed for pixel
     * values beyond ~1e75; the ratios apart hold up to ~1e150).
     */
    static void ratios(double[] mom, int ms, double c1, double c2, double[] lc, double[] cs) {
        for (int o = 0; o < ms; o++) {
            double mx = mom[o], my = mom[ms + o];
            lc[o] = (2 * mx * my + c1) / (mx * mx + my * my + c1);
            cs[o] = (2 * (mom[4 * ms + o] - mx * my) + c2)
                    / ((mom[2 * ms + o] - mx * mx) + (mom[3 * ms + o] - my * my) + c2);
        }
    }

    /**
     * The chain rule from the ratios to the moments: given the derivatives {@code dl} and
     * {@code dcs} of an objective with respect to lc and cs at each position, the derivatives with
     * respect to μx, E[x²] and E[xy] into {@code dmom} (3 maps):
     * ∂lc/∂μx = (2μy − 2μx·lc)/B1, ∂cs/∂μx = (2μx·cs − 2μy)/B2, ∂cs/∂E[x²] = −cs/B2,
     * ∂cs/∂E[xy] = 2/B2, with B1, B2 the denominators of lc and cs.
     */
    static void chain(double[] mom, int ms, double c1, double c2, double[] lc, double[] cs, double[] dl,
            double[] dcs, double[] dmom) {
        for (int o = 0; o < ms; o++) {
            double mx = mom[o], my = mom[ms + o];
            double b1 = mx * mx + my * my + c1;
            double b2 = (mom[2 * ms + o] - mx * mx) + (mom[3 * ms + o] - my * my) + c2;
            double l = dl[o], c = dcs[o];
            dmom[o] = l * (2 * my - 2 * mx * lc[o]) / b1 + c * (2 * mx * cs[o] - 2 * my) / b2;
            dmom[ms + o] = -c * cs[o] / b2;
            dmom[2 * ms + o] = 2 * c / b2;
        }
    }
}
