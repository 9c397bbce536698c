package org.losses4j.kernels;

import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * Which float32 kernel implementation is active: the path choice. How large inputs are split
 * over threads is {@link Parallel}'s.
 *
 * <p><b>Kernel path.</b> Decided once, when this class is initialised, between the scalar
 * kernels (always present, the reference) and the Vector API kernels
 * ({@code jdk.incubator.vector}), from the system property {@code losses4j.kernels} (or, when
 * it is not set, the environment variable {@code LOSSES4J_KERNELS}):
 * <ul>
 *   <li>{@code auto} (default): vector when the module {@code jdk.incubator.vector} is readable
 *       (the JVM was started with {@code --add-modules jdk.incubator.vector}) and either a width
 *       is chosen (below) or the CPU's preferred float vector is at least 256 bits wide; scalar
 *       otherwise, silently;</li>
 *   <li>{@code vector}: the same, but the reason for falling back is in {@link #description()};</li>
 *   <li>{@code scalar}: always scalar.</li>
 * </ul>
 *
 * <p><b>Vector width.</b> The system property {@code losses4j.vector.bits} (or the environment
 * variable {@code LOSSES4J_VECTOR_BITS}): {@code auto} (default: the CPU's preferred width, e.g.
 * 256 bits with AVX2, 512 with AVX-512, 128 with NEON), {@code 128}, {@code 256} or {@code 512}.
 * Any width runs on any CPU; one wider than the CPU's vectors is emulated by the JVM, correct but
 * slow. The kernels' accuracy bounds (see {@link FloatKernels}) hold at every width, and at a
 * fixed width the results do not depend on the thread count; across widths they agree within
 * those bounds, not bit for bit.
 *
 * <p>An unsupported value of either property, or a width chosen where the vector kernels cannot
 * be loaded, is a configuration error: {@link #floats()} and {@link #checkConfiguration()} then
 * throw a {@link LossException} ({@link ErrorKind#INVALID_OPTION}) that names it, rather than
 * silently running another path.
 *
 * <p>Both paths give results that agree within float32 rounding (see {@link FloatKernels}).
 * {@link #description()} says which one is active and why; {@code losses --version} and
 * {@code losses bench} print it.
 */
public final class Kernels {
    /** The requested vector width in bits, 0 for the CPU's preferred one (read by the vector kernels). */
    static final int VECTOR_BITS;

    private static final FloatKernels FLOATS;
    private static final FloatKernels VECTOR;
    private static final String DESCRIPTION;
    /** Why the configuration is refused, or null. */
    private static final String CONFIG_ERROR;

    static {
        String error = null;
        String want = setting("losses4j.kernels", "LOSSES4J_KERNELS");
        if (!want.equals("auto") && !want.equals("scalar") && !want.equals("vector")) {
            error = "losses4j.kernels = " + want + " is not a kernel path: expected auto, scalar or vector";
        }
        String bits = setting("losses4j.vector.bits", "LOSSES4J_VECTOR_BITS");
        int vb = 0;
        switch (bits) {
            case "auto":
                break;
            case "128":
            case "256":
            case "512":
                vb = Integer.parseInt(bits);
                break;
            default:
                error = "losses4j.vector.bits = " + bits + " is not a supported vector width: expected auto, 128, 256"
                        + " or 512";
        }
        VECTOR_BITS = error == null ? vb : 0;
        Object v = loadVector();
        VECTOR = v instanceof FloatKernels ? (FloatKernels) v : null;
        String why = VECTOR == null ? (String) v : null;
        if (error == null && VECTOR == null && VECTOR_BITS != 0 && !want.equals("scalar")) {
            error = "losses4j.vector.bits = " + bits + " needs the vector kernels, but they are unavailable: " + why;
        }
        CONFIG_ERROR = error;
        if (error != null || want.equals("scalar")) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = error != null ? "invalid configuration: " + error
                    : FLOATS.description() + " [losses4j.kernels=scalar]";
        } else if (VECTOR == null) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = FLOATS.description() + " [vector unavailable: " + why + "]";
        } else if (VECTOR_BITS == 0 && VECTOR.lanes() < 8) {
            FLOATS = ScalarFloatKernels.INSTANCE;
            DESCRIPTION = FLOATS.description() + " [the preferred float vector is only " + 32 * VECTOR.lanes()
                    + " bits wide; losses4j.vector.bits=" + 32 * VECTOR.lanes() + " uses it]";
        } else {
            FLOATS = VECTOR;
            DESCRIPTION = VECTOR.description();
        }
        System.getLogger("org.losses4j").log(System.Logger.Level.DEBUG, "losses4j kernels: " + DESCRIPTION);
    }

    private Kernels() {
    }

    /** A system property, else an environment variable, trimmed and lower case; "auto" when neither is set. */
    private static String setting(String property, String env) {
        String s = System.getProperty(property);
        if (s == null || s.isBlank()) {
            s = System.getenv(env);
        }
        return s == null || s.isBlank() ? "auto" : s.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The vector kernels, or a string saying why they are unavailable. On the module path the
     * module org.losses4j does not require jdk.incubator.vector (not even {@code static}: javac
     * would then warn every modular consumer about an incubating module), so it is made to read
     * the module here, when the JVM has it; on the class path that is a no-op.
     */
    private static Object loadVector() {
        java.util.Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return "module jdk.incubator.vector not readable; start java with --add-modules jdk.incubator.vector";
        }
        Kernels.class.getModule().addReads(vector.get());
        try {
            Class<?> c = Class.forName("org.losses4j.kernels.VectorFloatKernels");
            return c.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            return String.valueOf(e.getCause().getMessage());
        } catch (ReflectiveOperationException | LinkageError e) {
            return "cannot load the vector kernels: " + e;
        }
    }

    /**
     * Throws a {@link LossException} ({@link ErrorKind#INVALID_OPTION}) naming the property when
     * {@code losses4j.kernels} or {@code losses4j.vector.bits} has an unsupported value (see the
     * class comment); returns otherwise.
     */
    public static void checkConfiguration() {
        if (CONFIG_ERROR != null) {
            throw new LossException(ErrorKind.INVALID_OPTION, CONFIG_ERROR);
        }
    }

    /** The active float32 kernels; throws when the configuration is invalid (see {@link #checkConfiguration()}). */
    public static FloatKernels floats() {
        checkConfiguration();
        return FLOATS;
    }

    /** The scalar kernels (for tests comparing the paths). */
    static FloatKernels scalar() {
        return ScalarFloatKernels.INSTANCE;
    }

    /** The vector kernels when they could be loaded (whatever losses4j.kernels says), else null. */
    static FloatKernels vector() {
        return VECTOR;
    }

    /** "vector" or "scalar": the active kernel path. */
    public static String path() {
        return FLOATS.path();
    }

    /** The active kernel path, its width, and why it was chosen when it is not the vector one. */
    public static String description() {
        return DESCRIPTION;
    }
}
