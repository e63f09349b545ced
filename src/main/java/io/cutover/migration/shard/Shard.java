package io.cutover.migration.shard;

import io.cutover.migration.JobFailure;
import java.util.List;

/**
 * Which part of every table a run covers: shard {@code index} of {@code count} ({@code --shard I/N}). Each table's
 * key space is cut into {@code count} disjoint ranges at the bounds of a {@link ShardPlans plan}; {@link #WHOLE}
 * (0/1) is a run over everything, exactly as without {@code --shard}.
 */
public record Shard(int index, int count) {

    public static final Shard WHOLE = new Shard(0, 1);
    /** Shards of one run at most; more would make each range smaller than the plan can place well. */
    public static final int MAX_COUNT = 1024;

    public Shard {
        if (count < 1 || count > MAX_COUNT || index < 0 || index >= count) {
            throw new JobFailure(JobFailure.UNUSABLE, "--shard " + index + "/" + count
                    + " (expected: I/N with 0 <= I < N <= " + MAX_COUNT + ")");
        }
    }

    /** Reads {@code I/N}. */
    public static Shard parse(String text) {
        if (text == null || text.isBlank()) {
            return WHOLE;
        }
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new JobFailure(JobFailure.UNUSABLE, "--shard '" + text + "' (expected: I/N, e.g. 0/4)");
    }

    public boolean sharded() {
        return count > 1;
    }

    /** {@code I/N}. */
    public String label() {
        return index + "/" + count;
    }

    /** The name this shard's checkpoints are kept under: the mapping's own when not sharded. */
    public String checkpointName(String mapping) {
        return sharded() ? mapping + "#" + label() : mapping;
    }

    /**
     * This shard's part of a table cut at {@code bounds} (ascending, {@code count - 1} of them): from the bound
     * before it to its own bound; the first shard is open below, the last open above. When the table was empty as
     * it was planned ({@code bounds} empty), shard 0 takes everything and the others nothing.
     */
    public Range range(List<String> bounds) {
        if (!sharded()) {
            return Range.ALL;
        }
        if (bounds.isEmpty()) {
            return index == 0 ? Range.ALL : Range.NONE;
        }
        if (bounds.size() != count - 1) {
            throw new IllegalStateException("a plan for " + count + " shards has " + bounds.size() + " bounds");
        }
        return new Range(index == 0 ? null : bounds.get(index - 1), index == count - 1 ? null : bounds.get(index),
                false);
    }

    /**
     * A shard's part of a key space between two bounds, as text; null for an open end. The backfill reads it as
     * {@code lower < key <= upper} (keyset pages go on from a last key), verify as {@code lower <= key < upper};
     * either way the shards' ranges are disjoint and together cover every key.
     *
     * @param empty the shard has no keys at all (its table was empty when planned)
     */
    public record Range(String lower, String upper, boolean empty) {

        public static final Range ALL = new Range(null, null, false);
        public static final Range NONE = new Range(null, null, true);
    }
}
