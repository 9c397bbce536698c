package org.losses4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.losses4j.Inputs;
import org.losses4j.Loss;
import org.losses4j.LossInfo;
import org.losses4j.LossResult;
import org.losses4j.Losses;
import org.losses4j.Tensor;
import org.losses4j.conformance.Conformance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code losses eval}: a loss on prediction/target files, or conformance cases
 * ({@code --cases}) answered as ../shared/conformance/FORMAT.md specifies.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a loss on files, or answer conformance cases.",
            "  losses eval huber --input pred.csv --target y.csv -o delta=0.5",
            "  losses eval --cases cases/regression.jsonl --out answers.jsonl"})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "the loss (see `losses list`)")
    String name;

    @Option(names = "--cases", arity = "1..*", paramLabel = "FILE.jsonl", description = "conformance case files")
    List<Path> cases;

    @Option(names = "--out", paramLabel = "ANSWERS.jsonl", description = "where to write answers (default: stdout)")
    Path out;

    @Option(names = "--input", paramLabel = "FILE", description = "predictions (.csv, .tsv, .npy or .npz); FILE:COLUMN"
            + " picks a CSV column by header name or number (from 1), FILE.npz:NAME an array; - reads stdin")
    String inputArg;

    @Option(names = "--target", paramLabel = "FILE", description = "targets, as --input; integer labels as one column")
    String targetArg;

    @Option(names = "--input-file", arity = "1..*", paramLabel = "NAME=FILE",
            description = "other named inputs, e.g. weight=w.csv, or anchor=a.npy positive=p.npy negative=n.npy"
                    + " (or anchor=all.npz:anchor ...)")
    Map<String, String> extraArgs = new LinkedHashMap<>();

    /** The inputs, resolved from the arguments by {@link Source#parse}. */
    private Source input;
    private Source target;
    private final Map<String, Source> extra = new LinkedHashMap<>();

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE", parameterConsumer = LossOptions.class,
            description = "a loss option, e.g. -o delta=0.5 or -o delta 0.5 (each at most once)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--json", description = "print {\"loss\", \"reduction\", \"value\"} (and \"terms\" for"
            + " reduction none) as one JSON object")
    boolean json;

    @Option(names = "--reduction", paramLabel = "R", description = "mean, sum or none (where the loss has it)")
    String reduction;

    @Option(names = "--grad", paramLabel = "OUT", description = "write the gradient w.r.t. input here (.csv or .npy)")
    Path gradOut;

    @Option(names = "--per-sample", paramLabel = "OUT", description = "write the unreduced terms here (.csv or .npy)")
    Path perSample;

    @Option(names = "--stream", description = "evaluate chunk by chunk in bounded memory (automatic for elementwise"
            + " and row losses when the input file is larger than 4 MB)")
    boolean stream;

    @Option(names = "--stream-chunk-rows", hidden = true, paramLabel = "N",
            description = "rows per streamed chunk (tests; default: 65536 values a chunk)")
    int chunkRows;

    /** Input files above this size are streamed when the loss allows it. */
    static final long STREAM_BYTES = 4L << 20;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try {
            return run();
        } finally {
            for (Source s : sources()) {
                s.close();
            }
        }
    }

    private List<Source> sources() {
        List<Source> l = new java.util.ArrayList<>();
        if (input != null) {
            l.add(input);
        }
        if (target != null) {
            l.add(target);
        }
        l.addAll(extra.values());
        return l;
    }

    /**
     * Resolves the input arguments; standard input ({@code -}, at most one argument) only with
     * {@code stdin}, so that mistakes in the other arguments are reported before it is read.
     */
    private void resolve(boolean stdin) {
        if (inputArg != null && Source.isStdin(inputArg) == stdin) {
            input = Source.parse(inputArg);
        }
        if (targetArg != null && Source.isStdin(targetArg) == stdin) {
            target = Source.parse(targetArg);
        }
        extraArgs.forEach((k, v) -> {
            if (Source.isStdin(v) == stdin) {
                extra.put(k, Source.parse(v));
            }
        });
    }

    private Integer run() throws IOException {
        List<String> args = new java.util.ArrayList<>(extraArgs.values());
        args.add(inputArg == null ? "" : inputArg);
        args.add(targetArg == null ? "" : targetArg);
        if (args.stream().filter(Source::isStdin).count() > 1) {
            throw new UserError("only one input can be read from standard input (-)");
        }
        if (cases != null) {
            if (name != null || inputArg != null) {
                throw new UserError("--cases takes no loss name and no --input");
            }
            OutputFiles files = new OutputFiles();
            cases.forEach(c -> files.input("--cases", c));
            files.output("--out", out, List.of());
            return answerCases();
        }
        if (name == null || (inputArg == null && extraArgs.isEmpty())) {
            throw new UserError("eval needs NAME --input FILE [--target FILE] (or --input-file NAME=FILE ...),"
                    + " or --cases FILE.jsonl");
        }
        if (out != null) {
            throw new UserError("--out writes the answers of --cases; write the value with > FILE, the"
                    + " gradient with --grad, the terms with --per-sample");
        }
        LossInfo info = Losses.info(name);
        resolve(false);
        OutputFiles files = new OutputFiles().input("--input", file(input)).input("--target", file(target));
        extra.forEach((k, v) -> files.input("--input-file " + k + "=", file(v)));
        for (Path g : gradPaths(info).values()) {
            files.output("--grad", g, OutputFiles.TENSOR_EXTENSIONS);
        }
        files.output("--per-sample", perSample, OutputFiles.TENSOR_EXTENSIONS);
        resolve(true);
        Map<String, Source> ordered = new LinkedHashMap<>();
        extraArgs.keySet().forEach(k -> ordered.put(k, extra.get(k)));
        extra.clear();
        extra.putAll(ordered);
        return evalFiles();
    }

    /** The file an input reads, for the output checks (none for standard input). */
    private static Path file(Source s) {
        return s == null || s.stdin() ? null : s.file();
    }

    private int answerCases() throws IOException {
        int n = 0;
        int refused = 0;
        PrintWriter stdout = spec.commandLine().getOut();
        try (OutputFiles.Sink sink = out == null ? null : OutputFiles.open(out)) {
            Writer w = sink == null ? stdout : new OutputStreamWriter(sink.stream(), StandardCharsets.UTF_8);
            for (Path p : cases) {
                if (Files.isDirectory(p)) {
                    throw new UserError("--cases " + p + " is a directory (give the .jsonl files in it)");
                }
                int lineNo = 0;
                try (InputStream in = Files.newInputStream(p)) {
                    TensorFiles.Lines r = new TensorFiles.Lines(p, in, MAX_CASE_LINE, Integer.MAX_VALUE);
                    String line;
                    while ((line = r.next(lineNo + 1)) != null) {
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        Map<String, Object> a = answerLine(line, p + ":" + lineNo);
                        if (a.containsKey("error")) {
                            refused++;
                        }
                        w.write(JSON.writeValueAsString(a));
                        w.write('\n');
                        n++;
                    }
                } catch (NoSuchFileException e) {
                    throw new UserError(p + ": no such file");
                }
            }
            if (sink == null) {
                OutputFiles.flushStdout(stdout);
            } else {
                try {
                    w.flush();
                } catch (IOException e) {
                    throw OutputFiles.cannotWrite(out, e);
                }
                sink.commit();
            }
        }
        spec.commandLine().getErr().printf("answered %d cases (%d refused)%n", n, refused);
        return 0;
    }

    /**
     * The answer to one line of a case file; a line that is not a well-formed case (not a JSON
     * object, wrong JSON types) is a {@link UserError} naming {@code where} (file:line).
     */
    static Map<String, Object> answerLine(String line, String where) {
        Map<String, Object> c;
        try {
            Map<String, Object> parsed = CASE_READER.readValue(line);
            c = parsed;
        } catch (JsonProcessingException e) {
            throw new UserError(where + ": not one JSON object: " + e.getOriginalMessage());
        }
        if (c == null) {
            throw new UserError(where + ": not a JSON object: null");
        }
        validate(c, where);
        try {
            return Conformance.answer(c);
        } catch (ClassCastException | NullPointerException e) {
            // a malformed case (wrong JSON types) is the file's fault, not ours
            throw new UserError(where + ": malformed case: " + e.getMessage());
        }
    }

    /** The longest line of a case file (a line-less input such as /dev/zero must not exhaust memory). */
    static final int MAX_CASE_LINE = 1 << 24;

    /** One JSON object per line: a second value on the line is an error, not silently dropped. */
    private static final ObjectReader CASE_READER = JSON.readerFor(Map.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * Checks what {@link Conformance#answer} would otherwise convert silently: the loss is a
     * string, every shape entry an integer in [0, 2^31), every int64 datum an integer in int64's
     * range.
     */
    private static void validate(Map<String, Object> c, String where) {
        Object loss = c.get("loss");
        if (!(loss instanceof String)) {
            throw new UserError(where + ": 'loss' must be a string (the loss name), got "
                    + TensorFiles.shown(String.valueOf(loss), 40));
        }
        if (!(c.getOrDefault("inputs", Map.of()) instanceof Map<?, ?> ins)) {
            return; // Conformance reports the wrong type
        }
        for (Map.Entry<?, ?> e : ins.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> t)) {
                continue;
            }
            String name = "inputs." + TensorFiles.shown(String.valueOf(e.getKey()), 40);
            if (t.get("shape") instanceof List<?> shape) {
                for (int i = 0; i < shape.size(); i++) {
                    if (!shapeEntry(shape.get(i))) {
                        throw new UserError(where + ": " + name + ".shape[" + i + "] = "
                                + TensorFiles.shown(String.valueOf(shape.get(i)), 40)
                                + " is not an integer in [0, 2147483647]");
                    }
                }
            }
            if ("int64".equals(t.get("dtype")) && t.get("data") instanceof List<?> data) {
                for (int i = 0; i < data.size(); i++) {
                    if (!int64(data.get(i))) {
                        throw new UserError(where + ": " + name + ".data[" + i + "] = "
                                + TensorFiles.shown(String.valueOf(data.get(i)), 40) + " is not an int64 integer");
                    }
                }
            }
        }
    }

    /** Whether {@code o} is a JSON number with an integer value in [0, 2^31). */
    private static boolean shapeEntry(Object o) {
        if (o instanceof Integer || o instanceof Long) {
            long v = ((Number) o).longValue();
            return v >= 0 && v <= Integer.MAX_VALUE;
        }
        if (o instanceof Double d) {
            return d == Math.rint(d) && d >= 0 && d <= Integer.MAX_VALUE;
        }
        return false;
    }

    /** Whether {@code o} is a JSON number with an integer value in int64's range. */
    private static boolean int64(Object o) {
        if (o instanceof Integer || o instanceof Long) {
            return true;
        }
        if (o instanceof BigInteger b) {
            return b.bitLength() < 64;
        }
        if (o instanceof Double d) {
            return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63;
        }
        return false;
    }

    private int evalFiles() throws IOException {
        LossInfo info = Losses.info(name);
        Map<String, Object> opts = options(options, reduction);
        Loss loss = info.create(opts);
        String red = String.valueOf(opts.getOrDefault("reduction", StreamingEval.defaultReduction(info)));
        if (stream && red.equals("none")) {
            throw new UserError("--stream sums or averages the terms; for reduction none write them with"
                    + " --per-sample FILE and a reduction");
        }
        if (input != null && target != null && !red.equals("none") && StreamingEval.supports(info, extra) && rowsOf(info, input)
                && (stream || size(input) > STREAM_BYTES)) {
            for (Source s : streamed(info)) {
                Path p = s.file();
                if (Files.exists(p) && !Files.isRegularFile(p)) {
                    throw new UserError("--stream reads " + p + " more than once, and it is not a regular file"
                            + " (a pipe or device): save it to a file, or leave out --stream to read it once");
                }
            }
            double v = StreamingEval.run(info, opts, input, target, extra, targetIsLabels(info, input, target),
                    gradOut, perSample, chunkRows, spec.commandLine().getErr());
            print(red, v, null);
            return 0;
        }
        if (stream) {
            throw new UserError("--stream works for elementwise losses (with at most a weight input) and for"
                    + " losses with one term per row of an [N, C] input, with a reduction; " + name + " on "
                    + input + " is evaluated whole");
        }
        Tensor x = input == null ? null : floats(info, TensorFiles.read(input, false));
        Inputs in = x == null ? Inputs.empty() : Inputs.of(firstInputName(info), x);
        if (target != null) {
            in = in.with("target", readTarget(info, x, target));
        }
        for (Map.Entry<String, Source> e : extra.entrySet()) {
            LossInfo.InputSpec s = spec(info, e.getKey());
            in = in.with(e.getKey(), TensorFiles.read(e.getValue(), s != null && s.integerType() != null));
        }
        LossResult r = loss.compute(in);
        for (Map.Entry<String, Path> e : gradPaths(info).entrySet()) {
            Tensor g = r.grad(e.getKey());
            if (g == null) {
                throw new UserError("loss " + name + " gives no gradient w.r.t. " + e.getKey());
            }
            TensorFiles.write(e.getValue(), g);
        }
        if (perSample != null) {
            if (r.isUnreduced()) {
                TensorFiles.write(perSample, r.terms());
            } else {
                Map<String, Object> none = new LinkedHashMap<>(opts);
                none.put("reduction", "none");
                LossResult u = info.create(none).value(in);
                TensorFiles.write(perSample, u.terms());
            }
        }
        print(red, r.value(), r.isUnreduced() ? r.terms() : null);
        return 0;
    }

    /**
     * Prints the result: the value, or for reduction none the terms as CSV lines (rows = first
     * dimension); with --json one object {loss, reduction, value[, terms]}.
     */
    private void print(String red, double value, Tensor terms) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loss", name);
            m.put("reduction", red);
            m.put("value", Conformance.number(value));
            if (terms != null) {
                m.put("terms", Conformance.json(terms));
            }
            o.println(JSON.writeValueAsString(m));
        } else if (terms != null) {
            TensorFiles.csvLines(terms, ',', o::println);
        } else {
            o.println(value);
        }
        OutputFiles.flushStdout(o);
    }

    /**
     * The loss options from {@code -o} (parsed by {@link LossOptions}, which refuses a key given
     * twice) and {@code --reduction}: reduction given both ways is refused.
     */
    static Map<String, Object> options(Map<String, String> raw, String reduction) {
        Map<String, Object> opts = new LinkedHashMap<>();
        raw.forEach((k, v) -> opts.put(k.trim(), v.trim()));
        if (reduction != null && opts.put("reduction", reduction) != null) {
            throw new UserError("reduction is given twice (--reduction and -o reduction=...)");
        }
        return opts;
    }

    /** Whether the target file holds class labels, judged from the loss and the files' first rows. */
    private static boolean targetIsLabels(LossInfo info, Source input, Source target) throws IOException {
        LossInfo.InputSpec s = spec(info, "target");
        if (s != null && s.integerType() != null) {
            return true;
        }
        if (s == null || info.hessian()) {
            return false;
        }
        try (RowStream x = RowStream.open(input); RowStream t = RowStream.open(target)) {
            // one column for [N, C] scores (C > 1) can only be class labels
            return t.cols() == 1 && x.cols() > 1;
        }
    }

    private static long size(Source p) {
        try {
            return Files.size(p.file());
        } catch (IOException e) {
            return 0; // a missing file is reported by the reader, with its name
        }
    }

    private static String firstInputName(LossInfo info) {
        return info.inputs().get(0).name();
    }

    private static LossInfo.InputSpec spec(LossInfo info, String n) {
        for (LossInfo.InputSpec s : info.inputs()) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Targets are labels when the loss declares int64 targets, or is a class loss (not
     * elementwise) and the file is one column beside [N, C] scores; an elementwise loss's target
     * is never labels (a shape mismatch is reported as one). A file that is not a regular file (a
     * pipe) is read once.
     */
    private static Tensor readTarget(LossInfo info, Tensor x, Source p) {
        LossInfo.InputSpec s = spec(info, "target");
        if (s != null && s.integerType() != null) {
            return TensorFiles.read(p, true);
        }
        Tensor t = TensorFiles.read(p, false);
        // one column for [N, C] scores (C > 1) can only be class labels: a probability target needs C columns
        boolean labelColumn = s != null && !info.hessian() && t.rank() == 1 && x.rank() == 2 && x.dim(1) > 1
                && t.dim(0) == x.dim(0);
        if (!labelColumn) {
            return floats(info, t);
        }
        return Files.isRegularFile(p.file()) ? TensorFiles.read(p, true) : TensorFiles.toLabels(p, t);
    }

    /**
     * An elementwise loss wants floating inputs: an all-integer file (an int64 .npy) is widened
     * to float64 for it (a CSV of integers is read as floats already).
     */
    private static Tensor floats(LossInfo info, Tensor t) {
        if (!info.hessian() || t.dtype() != org.losses4j.DType.INT64) {
            return t;
        }
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.getDouble(i);
        }
        return Tensor.of(d, t.shape());
    }

    /**
     * Where {@code --grad G} writes each gradient: the gradient w.r.t. the {@code --input} file to
     * G, and w.r.t. each differentiable input given as {@code --input-file NAME=FILE} (triplet's
     * anchor, positive, negative) to G with the input's name before the extension
     * ({@code g.npy} → {@code g.anchor.npy}).
     */
    private Map<String, Path> gradPaths(LossInfo info) {
        Map<String, Path> out = new LinkedHashMap<>();
        if (gradOut == null) {
            return out;
        }
        if (inputArg != null) {
            out.put(firstInputName(info), gradOut);
        }
        String f = gradOut.getFileName().toString();
        int dot = f.lastIndexOf('.');
        for (LossInfo.InputSpec in : info.inputs()) {
            if (in.differentiable() && extraArgs.containsKey(in.name()) && !out.containsKey(in.name())) {
                String n = in.name();
                out.put(n, gradOut.resolveSibling(dot < 0 ? f + "." + n : f.substring(0, dot) + "." + n
                        + f.substring(dot)));
            }
        }
        if (out.isEmpty()) {
            out.put(firstInputName(info), gradOut);
        }
        return out;
    }

    /** The files a stream reads chunk by chunk (and more than once). */
    private List<Source> streamed(LossInfo info) {
        List<Source> l = new java.util.ArrayList<>(List.of(input, target));
        if (info.layout() == LossInfo.Layout.ELEMENT && extra.containsKey("weight")) {
            l.add(extra.get("weight"));
        }
        return l;
    }

    /** Whether a row loss's input is [N] or [N, C] (a stream reads rows so); elementwise losses: always. */
    private static boolean rowsOf(LossInfo info, Source input) {
        return info.layout() == LossInfo.Layout.ELEMENT || TensorFiles.npyRank(input) <= 2;
    }
}
