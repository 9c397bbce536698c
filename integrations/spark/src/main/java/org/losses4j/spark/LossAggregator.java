package org.losses4j.spark;

import java.io.Serializable;
import java.util.Objects;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.losses4j.ErrorKind;
import org.losses4j.LossException;

/**
 * Common part of the losses4j aggregators: a typed {@link Aggregator} over rows whose
 * columns are read by position, with a mergeable, serialisable buffer. The loss is either
 * fixed when the aggregator is built (the DataFrame API) or named by the leading columns of
 * each row (the SQL functions: {@code name} or {@code name, options}); every row of one
 * aggregation must then name the same loss.
 *
 * @param <B> the buffer type
 */
public abstract class LossAggregator<B extends LossAggregator.Buffer> extends Aggregator<Row, B, Double> {
    private static final long serialVersionUID = 1L;

    /** Rows collected before one call into the core (amortises the call over a block). */
    static final int BLOCK = 1024;

    private final LossSpec fixed;
    private final int specColumns;
    private final Class<B> bufferClass;

    /** The loss name (and options) of one aggregation, and whether any row was seen. */
    public abstract static class Buffer implements Serializable {
        private static final long serialVersionUID = 1L;
        String rawName;
        String rawOptions;
        LossSpec spec;
    }

    /**
     * @param fixed the loss, or null when the rows name it
     * @param specColumns 0 with a fixed loss; 1 (name) or 2 (name, options) leading columns
     */
    protected LossAggregator(LossSpec fixed, int specColumns, Class<B> bufferClass) {
        if ((fixed == null) == (specColumns == 0)) {
            throw new IllegalArgumentException("either a fixed loss or loss columns");
        }
        this.fixed = fixed;
        this.specColumns = specColumns;
        this.bufferClass = bufferClass;
        if (fixed != null) {
            check(fixed);
        }
    }

    /** Refuses a loss this aggregator cannot evaluate (called on the driver for a fixed loss). */
    protected abstract void check(LossSpec spec);

    /** The index of the first data column. */
    protected final int first() {
        return specColumns;
    }

    /** Sets the buffer's loss from the aggregator or from the row, checking every row agrees. */
    protected final LossSpec spec(B b, Row row) {
        if (b.spec != null && fixed != null) {
            return b.spec;
        }
        if (fixed != null) {
            b.spec = fixed;
            return fixed;
        }
        String name = row.getString(0);
        String opts = specColumns > 1 ? row.getString(1) : null;
        if (b.spec == null) {
            LossSpec s = LossSpec.parse(name, opts);
            check(s);
            b.rawName = name;
            b.rawOptions = opts;
            b.spec = s;
        } else if (!Objects.equals(name, b.rawName) || !Objects.equals(opts, b.rawOptions)) {
            throw new LossException(ErrorKind.INVALID_OPTION, "one aggregation names two losses: " + b.rawName
                    + (b.rawOptions == null ? "" : " (" + b.rawOptions + ")") + " and " + name
                    + (opts == null ? "" : " (" + opts + ")"));
        }
        return b.spec;
    }

    /** Takes the loss of {@code from} into {@code into} when it has none; refuses two different losses. */
    protected static void mergeSpec(Buffer into, Buffer from) {
        if (from.spec == null) {
            return;
        }
        if (into.spec == null) {
            into.spec = from.spec;
            into.rawName = from.rawName;
            into.rawOptions = from.rawOptions;
        } else if (!into.spec.key().equals(from.spec.key())) {
            throw new LossException(ErrorKind.INVALID_OPTION, "one aggregation names two losses: " + into.spec + " and "
                    + from.spec);
        }
    }

    @Override
    public Encoder<B> bufferEncoder() {
        return Encoders.javaSerialization(bufferClass);
    }

    @Override
    public Encoder<Double> outputEncoder() {
        return Encoders.DOUBLE();
    }

    /** A double column that may be null (null: the row is skipped, as SQL aggregates skip nulls). */
    protected static boolean isNull(Row row, int i) {
        return row.isNullAt(i);
    }

    /** The numeric value of column {@code i} (any SQL numeric type). */
    protected static double number(Row row, int i) {
        return ((Number) row.get(i)).doubleValue();
    }
}
