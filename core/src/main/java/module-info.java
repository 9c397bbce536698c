/**
 * losses4j: loss functions, their values and gradients, with no runtime dependencies.
 *
 * <p><b>What is exported.</b> {@code org.losses4j} holds the API ({@link org.losses4j.Losses},
 * {@link org.losses4j.Loss}, {@link org.losses4j.Inputs}, {@link org.losses4j.Tensor},
 * {@link org.losses4j.LossResult}, {@link org.losses4j.Options}, ...) and, beside it, the support
 * a loss implementation uses ({@link org.losses4j.AbstractLoss},
 * {@link org.losses4j.ElementwiseLoss}, {@link org.losses4j.LossCall},
 * {@link org.losses4j.Check}, {@link org.losses4j.Workspace}, {@link org.losses4j.Examples}):
 * public so that a loss can be written outside this module, but not needed to use one. The
 * family packages ({@code regression}, {@code classification}, {@code probabilistic},
 * {@code ranking}, {@code segmentation}, {@code vision}, {@code generative}, {@code preference},
 * {@code regularization}) hold the losses and their option constants; {@code objective} the
 * weighted sums of losses; {@code conformance} answers the shared conformance cases.
 *
 * <p><b>What is internal.</b> {@code org.losses4j.kernels}, the float32 kernels (the choice
 * between the scalar and the Vector API path, the thread pool that splits large inputs, the
 * kernels themselves), is not exported: it may change in any release. Which path is active is
 * logged once, at level DEBUG, to the {@code System.Logger} named {@code org.losses4j}. On the
 * class path, where a module descriptor is ignored, its public classes remain reachable (the
 * losses4j command line and benchmarks use them there); that is not a supported use.
 *
 * <p><b>The Vector API is optional.</b> This module does not require
 * {@code jdk.incubator.vector}, not even {@code static} (javac would then warn every module that
 * requires this one about an incubating module, an error under {@code -Werror}). A JVM started
 * without {@code --add-modules jdk.incubator.vector} runs the scalar kernels, as on the class
 * path; with it (on the module path: {@code java --add-modules jdk.incubator.vector -p
 * losses4j-core.jar ...}) the kernels make this module read that one, at run time, and use the
 * Vector API kernels.
 */
module org.losses4j {
    exports org.losses4j;
    exports org.losses4j.classification;
    exports org.losses4j.conformance;
    exports org.losses4j.generative;
    exports org.losses4j.objective;
    exports org.losses4j.preference;
    exports org.losses4j.probabilistic;
    exports org.losses4j.ranking;
    exports org.losses4j.regression;
    exports org.losses4j.regularization;
    exports org.losses4j.segmentation;
    exports org.losses4j.vision;
}
