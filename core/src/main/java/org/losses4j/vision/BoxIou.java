package org.losses4j.vision;

import org.losses4j.AbstractLossBuilder;
import org.losses4j.AbstractLoss;
import org.losses4j.Check;
import org.losses4j.ErrorKind;
import org.losses4j.Examples;
import org.losses4j.Family;
import org.losses4j.Inputs;
import org.losses4j.LossCall;
import org.losses4j.LossException;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.OptionSpec;
import org.losses4j.Options;
import org.losses4j.Reduction;
import org.losses4j.Tensor;

/**
 * Bounding-box IoU losses: IoU, generalized (GIoU), distance (DIoU) and complete (CIoU).
 *
 * <p>Per box pair, with intersection I (0 unless the boxes overlap with positive width and
 * height), union U and {@code IoU = I / (U + eps)}: {@code iou}: {@code 1 − IoU};
 * {@code giou}: {@code 1 − IoU + (A_c − U) / (A_c + eps)}, A_c the area of the smallest
 * enclosing box; {@code diou}: {@code 1 − IoU + ρ² / (c² + eps)}, ρ the distance between the
 * box centres and c the diagonal of the enclosing box; {@code ciou}: diou {@code + α·v},
 * {@code v = (4/π²)(atan(w_g/h_g) − atan(w/h))²}, {@code α = v / (1 − IoU + v + eps)} held
 * constant in the gradient. At ties of the min/max that form the intersection and the
 * enclosing box, each side gets half the derivative (as PyTorch's maximum/minimum).
 *
 * <p>Shapes: input and target [N, 4] as (x1, y1, x2, y2) with x1 ≤ x2 and y1 ≤ y2 (ciou:
 * y1 &lt; y2). {@code mean} divides by N; {@code none} gives the N per-box terms.
 *
 * <p>Reference: Rezatofighi et al. 2019 (GIoU); Zheng et al. 2020 (DIoU, CIoU);
 * torchvision.ops generalized_box_iou_loss, distance_box_iou_loss, complete_box_iou_loss.
 */
public final class BoxIou extends AbstractLoss {
    /**
     * {@code variant}: Iou, giou (enclosing-area penalty), diou (centre-distance penalty) or ciou (diou + aspect
     * ratio). Default {@code iou}; allowed: one of iou, giou, diou, ciou.
     */
    public static final OptionSpec<String> VARIANT = OptionSpec.choice("variant", "iou",
            "iou, giou (enclosing-area penalty), diou (centre-distance penalty) or ciou (diou + aspect ratio)",
            "iou", "giou", "diou", "ciou");
    /**
     * {@code eps}: Added to the union, the enclosing area and the squared diagonal. Default {@code 1.0E-7}; allowed:
     * &gt;= 0.
     */
    public static final OptionSpec<Double> EPS = OptionSpec.real("eps", 1e-7, OptionSpec.Range.NON_NEGATIVE,
            "added to the union, the enclosing area and the squared diagonal");
    /** {@code reduction}: How the terms are combined. Default {@code mean}; allowed: one of mean, sum, none. */
    public static final OptionSpec<Reduction> REDUCTION = OptionSpec.reduction();

    public static final LossInfo INFO = LossInfo.builder("box_iou", Family.SEGMENTATION)
            .summary("bounding-box regression by IoU, GIoU, DIoU or CIoU")
            .formula("1 − I/(U + eps) [+ (A_c − U)/(A_c + eps) | + ρ²/(c² + eps) | + ρ²/(c² + eps) + α·v]")
            .gradInput("input", "[N, 4] boxes (x1, y1, x2, y2), x1 <= x2, y1 <= y2")
            .input("target", "[N, 4] boxes (x1, y1, x2, y2), x1 <= x2, y1 <= y2")
            .options(VARIANT, EPS, REDUCTION)
            .divisor("the number of boxes N")
            .tasks("object detection", "bounding-box regression")
            .reference("Rezatofighi et al. 2019; Zheng et al. 2020; torchvision.ops box IoU losses")
            .layout(LossInfo.Layout.ROW)
            .example((r, n, o) -> Inputs.of(Examples.t(Examples.boxes(r, n), n, 4), Examples.t(Examples.boxes(r, n), n, 4)))
            .kinks(true)
            .factory(BoxIou::new)
            .build();

    private static final int IOU = 0;
    private static final int GIOU = 1;
    private static final int DIOU = 2;
    private static final int CIOU = 3;
    private static final double FOUR_OVER_PI2 = 4 / (Math.PI * Math.PI);

    private final int variant;
    private final double eps;

    private BoxIou(Options o) {
        super(INFO, o);
        switch (o.get(VARIANT)) {
            case "giou":
                variant = GIOU;
                break;
            case "diou":
                variant = DIOU;
                break;
            case "ciou":
                variant = CIOU;
                break;
            default:
                variant = IOU;
        }
        this.eps = o.real(EPS);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@code BoxIou}: a typed setter per option, beside {@code set} and {@code reduction}. */
    public static final class Builder extends AbstractLossBuilder<BoxIou, Builder> {
        private Builder() {
            super(INFO, BoxIou.class);
        }

        /**
         * {@code variant}: Iou, giou (enclosing-area penalty), diou (centre-distance penalty) or ciou (diou +
         * aspect ratio). Default {@code iou}; allowed: one of iou, giou, diou, ciou.
         */
        public Builder variant(String value) {
            return set(VARIANT, value);
        }

        /**
         * {@code eps}: Added to the union, the enclosing area and the squared diagonal. Default {@code
         * 1.0E-7}; allowed: &gt;= 0.
         */
        public Builder eps(double value) {
            return set(EPS, value);
        }
    }

    @Override
    protected LossResult evaluate(LossCall call) {
        Tensor xt = call.input("input");
        Tensor yt = call.input("target");
        Check.rank("input", xt, 2);
        Check.dim("input", xt, 1, 4, "boxes as (x1, y1, x2, y2)");
        Check.sameShape("input", xt, "target", yt);
        double[] x = xt.asFloat64().f64();
        double[] y = yt.asFloat64().f64();
        int n = xt.dim(0);
        checkBoxes("input", x, n);
        checkBoxes("target", y, n);
        double scale = call.reduce(n);
        double[] gx = call.gradient("input", xt);
        // the terms: scratch unless they are the result (reduction none)
        double[] terms = call.terms(n);
        for (int b = 0; b < n; b++) {
            terms[b] = box(x, y, 4 * b, gx, scale);
        }
        return call.finish(terms, n);
    }

    private void checkBoxes(String name, double[] v, int n) {
        for (int b = 0; b < n; b++) {
            int o = 4 * b;
            String box = name + "[" + b + "] = (" + v[o] + ", " + v[o + 1] + ", " + v[o + 2] + ", " + v[o + 3] + ")";
            if (v[o + 2] < v[o]) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, box + " has x2 < x1 (boxes are (x1, y1, x2, y2))");
            }
            if (v[o + 3] < v[o + 1]) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, box + " has y2 < y1 (boxes are (x1, y1, x2, y2))");
            }
            if (variant == CIOU && v[o + 3] == v[o + 1]) {
                throw new LossException(ErrorKind.OUT_OF_DOMAIN, box
                        + " has zero height: ciou needs boxes of positive height (its aspect term is atan(w/h))");
            }
        }
    }

    /**
     * The term of one box pair; adds {@code scale·∂term/∂input} into {@code gx[o..o+3]} when
     * {@code gx} is not null.
     */
    private double box(double[] xs, double[] ys, int o, double[] gx, double scale) {
        double x1 = xs[o], y1 = xs[o + 1], x2 = xs[o + 2], y2 = xs[o + 3];
        double a1 = ys[o], b1 = ys[o + 1], a2 = ys[o + 2], b2 = ys[o + 3];
        // intersection corners and d(corner)/d(own coordinate): 1, ½ at a tie, 0
        double ix1 = Math.max(x1, a1), iy1 = Math.max(y1, b1);
        double ix2 = Math.min(x2, a2), iy2 = Math.min(y2, b2);
        double iw = ix2 - ix1, ih = iy2 - iy1;
        boolean overlap = ih > 0 && iw > 0;
        double inter = overlap ? iw * ih : 0;
        double w = x2 - x1, h = y2 - y1;
        double union = w * h + (a2 - a1) * (b2 - b1) - inter;
        double ue = union + eps;
        double iou = inter / ue;
        double term = 1 - iou;
        if (gx == null && variant == IOU) {
            return term;
        }
        // gradient of IoU w.r.t. I and U: dIoU = dI/ue − I·dU/ue²
        double dIouDI = 1 / ue;
        double dIouDU = -inter / (ue * ue);
        // dterm/dI, dterm/dU, dterm/d(area terms), accumulated per variant
        double dI = -dIouDI;
        double dU = -dIouDU;
        double dCx1 = 0, dCy1 = 0, dCx2 = 0, dCy2 = 0; // d term / d enclosing-box corner
        double gx1 = 0, gy1 = 0, gx2 = 0, gy2 = 0; // direct terms (centres, aspect ratio)
        if (variant != IOU) {
            double cx1 = Math.min(x1, a1), cy1 = Math.min(y1, b1);
            double cx2 = Math.max(x2, a2), cy2 = Math.max(y2, b2);
            double cw = cx2 - cx1, ch = cy2 - cy1;
            if (variant == GIOU) {
                double ac = cw * ch;
                double ace = ac + eps;
                // A_c >= U exactly; the max only removes a rounding-level negative (containment)
                double pen = Math.max(ac - union, 0.0) / ace;
                term += pen;
                // d pen = (dAc − dU)/ace − (Ac − U)·dAc/ace²
                double dAc = 1 / ace - (ac - union) / (ace * ace);
                dU -= 1 / ace;
                dCx1 = -ch * dAc;
                dCx2 = ch * dAc;
                dCy1 = -cw * dAc;
                dCy2 = cw * dAc;
            } else {
                double c2 = cw * cw + ch * ch + eps;
                double dx = (x1 + x2) / 2 - (a1 + a2) / 2;
                double dy = (y1 + y2) / 2 - (b1 + b2) / 2;
                double rho2 = dx * dx + dy * dy;
                term += rho2 / c2;
                // d(ρ²/c²) = dρ²/c² − ρ²·dc²/(c²)²; dρ²/dx1 = dρ²/dx2 = dx, likewise y
                double k = -rho2 / (c2 * c2);
                dCx1 = -2 * cw * k;
                dCx2 = 2 * cw * k;
                dCy1 = -2 * ch * k;
                dCy2 = 2 * ch * k;
                gx1 += dx / c2;
                gx2 += dx / c2;
                gy1 += dy / c2;
                gy2 += dy / c2;
                if (variant == CIOU) {
                    double wg = a2 - a1, hg = b2 - b1;
                    double diff = Math.atan(wg / hg) - Math.atan(w / h);
                    double v = FOUR_OVER_PI2 * diff * diff;
                    double alpha = v / (1 - iou + v + eps); // a constant in the gradient
                    term += alpha * v;
                    // dv/dw = −2·(4/π²)·diff·h/(w² + h²), dv/dh = +2·(4/π²)·diff·w/(w² + h²)
                    double q = alpha * 2 * FOUR_OVER_PI2 * diff / (w * w + h * h);
                    double dw = -q * h;
                    double dh = q * w;
                    gx1 -= dw;
                    gx2 += dw;
                    gy1 -= dh;
                    gy2 += dh;
                }
            }
        }
        if (gx == null) {
            return term;
        }
        // U = w·h + A_g − I: its own-area part
        gx1 += -h * dU;
        gx2 += h * dU;
        gy1 += -w * dU;
        gy2 += w * dU;
        // I = iw·ih on overlap (I enters both IoU and U); corners max(x1, a1), min(x2, a2) ...
        if (overlap) {
            double dInter = dI - dU;
            gx1 += dMax(x1, a1) * (-ih * dInter);
            gx2 += dMin(x2, a2) * (ih * dInter);
            gy1 += dMax(y1, b1) * (-iw * dInter);
            gy2 += dMin(y2, b2) * (iw * dInter);
        }
        // enclosing box: min for (x1, y1), max for (x2, y2)
        gx1 += dMin(x1, a1) * dCx1;
        gy1 += dMin(y1, b1) * dCy1;
        gx2 += dMax(x2, a2) * dCx2;
        gy2 += dMax(y2, b2) * dCy2;
        gx[o] += scale * gx1;
        gx[o + 1] += scale * gy1;
        gx[o + 2] += scale * gx2;
        gx[o + 3] += scale * gy2;
        return term;
    }

    /** d max(v, t)/dv: 1 where v wins, ½ at a tie, 0 where t wins. */
    private static double dMax(double v, double t) {
        return v > t ? 1.0 : v == t ? 0.5 : 0.0;
    }

    /** d min(v, t)/dv: 1 where v wins, ½ at a tie, 0 where t wins. */
    private static double dMin(double v, double t) {
        return v < t ? 1.0 : v == t ? 0.5 : 0.0;
    }
}
