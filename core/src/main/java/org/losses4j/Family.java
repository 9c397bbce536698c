package org.losses4j;

/** The catalog's loss families. */
public enum Family {
    REGRESSION("regression"),
    CLASSIFICATION("classification"),
    PROBABILISTIC("probabilistic and sequence"),
    RANKING("ranking and metric learning"),
    SEGMENTATION("segmentation and vision"),
    GENERATIVE("generative models"),
    PREFERENCE("preference and reinforcement learning"),
    REGULARIZATION("regularisation and objectives");

    private final String title;

    Family(String title) {
        this.title = title;
    }

    /** The short name used by {@code losses list --family}: {@code regression}, {@code ranking} ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The catalog section title. */
    public String title() {
        return title;
    }

    public static Family parse(String s) {
        for (Family f : values()) {
            if (f.label().equalsIgnoreCase(s) || f.title.equalsIgnoreCase(s)) {
                return f;
            }
        }
        throw new LossException(ErrorKind.INVALID_OPTION, "family '" + s + "' is not one of "
                + java.util.Arrays.stream(values()).map(Family::label).reduce((a, b) -> a + ", " + b).orElse(""));
    }
}
