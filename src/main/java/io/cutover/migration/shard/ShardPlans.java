package io.cutover.migration.shard;

import io.cutover.clock.Ticker;
import io.cutover.migration.Await;
import io.cutover.migration.CheckpointTables;
import io.cutover.migration.JobFailure;
import io.cutover.migration.Sleeper;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the shards of one run share, in the checkpoint database: per table the bounds every shard cuts the key
 * space at ({@value #PLANS}: computed once, by whichever shard comes first, so that all N agree even while V1
 * grows), and which shards have finished which table ({@value #DONE}). A shard waits on the second before it
 * starts a table that depends on an earlier one; the last shard to finish the last table deletes both.
 */
public final class ShardPlans {

    public static final String PLANS = "cutover_shard_plans";
    public static final String DONE = "cutover_shard_done";
    /** How often a waiting shard looks again. */
    static final Duration POLL = Duration.ofSeconds(1);

    private static final String CREATE_PLANS = "CREATE TABLE IF NOT EXISTS " + PLANS + " ("
            + "job TEXT NOT NULL, mapping TEXT NOT NULL, shard_count INT NOT NULL, table_name TEXT NOT NULL, "
            + "bounds TEXT[] NOT NULL, planned_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (job, mapping, shard_count, table_name))";
    private static final String CREATE_DONE = "CREATE TABLE IF NOT EXISTS " + DONE + " ("
            + "job TEXT NOT NULL, mapping TEXT NOT NULL, shard_count INT NOT NULL, table_name TEXT NOT NULL, "
            + "shard INT NOT NULL, done_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
            + "PRIMARY KEY (job, mapping, shard_count, table_name, shard))";
    private static final String SCOPE = " WHERE job = $1 AND mapping = $2 AND shard_count = $3";

    private final Pool db;
    private final String job;
    private final String mapping;
    private final Shard shard;
    private final Ticker ticker;
    private final Sleeper sleeper;

    public ShardPlans(Pool db, String job, String mapping, Shard shard, Ticker ticker, Sleeper sleeper) {
        this.db = db;
        this.job = job;
        this.mapping = mapping;
        this.shard = shard;
        this.ticker = ticker;
        this.sleeper = sleeper;
    }

    public void ensureTables() {
        CheckpointTables.create(db, CREATE_PLANS, CREATE_DONE);
    }

    /** The table's bounds: the stored plan, or {@code compute}'s, stored for the other shards (first one wins). */
    public List<String> bounds(String table, Supplier<List<String>> compute) {
        List<String> stored = stored(table);
        if (stored != null) {
            return stored;
        }
        List<String> computed = compute.get();
        Await.result(db.preparedQuery("INSERT INTO " + PLANS + " (job, mapping, shard_count, table_name, bounds)"
                + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(scope().addString(table).addArrayOfString(computed.toArray(String[]::new))));
        return stored(table);
    }

    private List<String> stored(String table) {
        for (Row row : Await.result(db.preparedQuery("SELECT bounds FROM " + PLANS + SCOPE + " AND table_name = $4")
                .execute(scope().addString(table)))) {
            return List.of(row.getArrayOfStrings(0));
        }
        return null;
    }

    /** Marks this shard done with the table (again: idempotent). */
    public void markDone(String table) {
        Await.result(db.preparedQuery("INSERT INTO " + DONE + " (job, mapping, shard_count, table_name, shard)"
                + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                .execute(scope().addString(table).addInteger(shard.index())));
    }

    /** The shards not yet done with the table, ascending. */
    public List<Integer> pending(String table) {
        TreeSet<Integer> left = new TreeSet<>();
        for (int i = 0; i < shard.count(); i++) {
            left.add(i);
        }
        for (Row row : Await.result(db.preparedQuery("SELECT shard FROM " + DONE + SCOPE + " AND table_name = $4")
                .execute(scope().addString(table)))) {
            left.remove(row.getInteger(0));
        }
        return new ArrayList<>(left);
    }

    /**
     * Waits until every shard is done with the table, polling every {@link #POLL}; tells {@code waiting} which
     * shards it waits for, each time that changes. After {@code timeout} the job stops (exit 2, resumable).
     */
    public void awaitAll(String table, Duration timeout, Consumer<List<Integer>> waiting) {
        long started = ticker.nanos();
        List<Integer> told = List.of();
        while (true) {
            List<Integer> left = pending(table);
            if (left.isEmpty()) {
                return;
            }
            if (!left.equals(told)) {
                waiting.accept(left);
                told = left;
            }
            if (ticker.nanos() - started >= timeout.toNanos()) {
                throw new JobFailure(JobFailure.UNUSABLE, "shard " + shard.label() + " waited " + timeout
                        + " for shards " + left + " to finish " + table + " (run every shard of " + shard.count()
                        + " at once, e.g. an Indexed Job with parallelism = completions; this shard resumes when run"
                        + " again)");
            }
            sleeper.sleep(POLL.toNanos());
        }
    }

    /** Forgets this shard's done marks (a restarted shard copies its ranges again before the others go on). */
    public void forgetMarks() {
        Await.result(db.preparedQuery("DELETE FROM " + DONE + SCOPE + " AND shard = $4")
                .execute(scope().addInteger(shard.index())));
    }

    /**
     * When every shard is done with {@code lastTable}: deletes the plan and the marks (the next run plans anew) and
     * says true to the one shard whose delete took the marks (two shards finishing at once both see them all).
     */
    public boolean finishIfLast(String lastTable) {
        if (!pending(lastTable).isEmpty()) {
            return false;
        }
        int deleted = Await.result(db.preparedQuery("DELETE FROM " + DONE + SCOPE).execute(scope())).rowCount();
        Await.result(db.preparedQuery("DELETE FROM " + PLANS + SCOPE).execute(scope()));
        return deleted > 0;
    }

    private Tuple scope() {
        return Tuple.of(job, mapping, shard.count());
    }

    @Override
    public String toString() {
        return job + " " + mapping + " " + shard.label() + " " + Arrays.asList(PLANS, DONE);
    }
}
