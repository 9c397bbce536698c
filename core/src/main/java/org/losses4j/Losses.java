package org.losses4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry: every catalog loss by name, with its metadata, built from an option map.
 *
 * <pre>{@code
 * Loss focal = Losses.create("focal", Map.of("gamma", 2.0, "alpha", 0.25));
 * for (LossInfo info : Losses.catalog()) System.out.println(info.name() + "  " + info.family().label());
 * }</pre>
 */
public final class Losses {
    private static final Map<String, LossInfo> BY_NAME;

    static {
        Map<String, LossInfo> m = new LinkedHashMap<>();
        List<List<LossInfo>> families = List.of(
                org.losses4j.regression.RegressionLosses.all(),
                org.losses4j.classification.ClassificationLosses.all(),
                org.losses4j.probabilistic.ProbabilisticLosses.all(),
                org.losses4j.ranking.RankingLosses.all(),
                org.losses4j.segmentation.SegmentationLosses.all(),
                org.losses4j.generative.GenerativeLosses.all(),
                org.losses4j.preference.PreferenceLosses.all(),
                org.losses4j.regularization.RegularizationLosses.all());
        for (List<LossInfo> f : families) {
            for (LossInfo i : f) {
                if (m.put(i.name(), i) != null) {
                    throw new IllegalStateException("loss " + i.name() + " registered twice");
                }
            }
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private Losses() {
    }

    /** Every registered loss, in catalog order. */
    public static List<LossInfo> catalog() {
        return new ArrayList<>(BY_NAME.values());
    }

    /** The losses of one family, in catalog order. */
    public static List<LossInfo> family(Family f) {
        List<LossInfo> out = new ArrayList<>();
        for (LossInfo i : BY_NAME.values()) {
            if (i.family() == f) {
                out.add(i);
            }
        }
        return out;
    }

    /** The end of the message for an unknown name: where the names are (a command line may say its own). */
    public static final String CATALOG_HINT = "Losses.catalog() lists them all, Aliases.all() the PyTorch and"
            + " Keras names";

    /**
     * The metadata of the named loss, or of the loss a PyTorch or Keras name ({@link Aliases})
     * stands for; {@link ErrorKind#UNKNOWN_LOSS} when there is none, suggesting the nearest
     * catalog name or alias.
     */
    public static LossInfo info(String name) {
        LossInfo i = BY_NAME.get(name);
        if (i == null && name != null) {
            Aliases.Alias a = Aliases.find(name);
            i = a == null ? null : BY_NAME.get(a.target());
        }
        if (i == null) {
            String near = name == null ? null : nearest(name);
            throw new LossException(ErrorKind.UNKNOWN_LOSS, "unknown loss '" + name + "'"
                    + (near == null ? "" : " (did you mean '" + near + "'?)") + "; " + CATALOG_HINT);
        }
        return i;
    }

    /** Whether the name is a catalog loss or an alias of one. */
    public static boolean exists(String name) {
        return BY_NAME.containsKey(name) || (Aliases.find(name) != null && BY_NAME.containsKey(Aliases.find(name)
                .target()));
    }

    /** The named loss with default options. */
    public static Loss create(String name) {
        return info(name).create();
    }

    /**
     * The named loss with options given as a map from option name to a value: a Number,
     * Boolean, String (also numbers and booleans as text, as from a command line), a list of
     * numbers, or null.
     */
    public static Loss create(String name, Map<String, ?> options) {
        return info(name).create(options);
    }

    private static String nearest(String name) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        List<String> names = new ArrayList<>(BY_NAME.keySet());
        Aliases.all().forEach(a -> names.add(a.name()));
        for (String k : names) {
            int d = distance(name, k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return bestD <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
