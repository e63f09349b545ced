package io.cutover.migration;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * The job's own Vert.x and its pools: source (V1), target (V2) and the checkpoint database (the target
 * unless another one is given). Checks that each answers before a job starts.
 */
public final class Databases implements AutoCloseable {

    private final Vertx vertx;
    private final Pool source;
    private final Pool target;
    private final Pool checkpoint;
    private final Pool record;

    private Databases(Vertx vertx, Pool source, Pool target, Pool checkpoint, Pool record) {
        this.vertx = vertx;
        this.source = source;
        this.target = target;
        this.checkpoint = checkpoint;
        this.record = record;
    }

    /** @param checkpoint null to keep checkpoints in the target database */
    public static Databases open(Endpoint source, Endpoint target, Endpoint checkpoint, int poolSize) {
        return open(source, target, checkpoint, null, poolSize);
    }

    /**
     * @param checkpoint null to keep checkpoints in the target database
     * @param record     the router's database where the run is recorded ({@link RunLog}), or null
     */
    public static Databases open(Endpoint source, Endpoint target, Endpoint checkpoint, Endpoint record, int poolSize) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(2));
        Databases dbs = null;
        try {
            Pool s = pool(vertx, source, poolSize);
            Pool t = pool(vertx, target, poolSize);
            Pool c = checkpoint == null ? null : pool(vertx, checkpoint, 1);
            Pool r = record == null ? null : pool(vertx, record, 1);
            dbs = new Databases(vertx, s, t, c, r);
            ping(s, source);
            ping(t, target);
            if (c != null) {
                ping(c, checkpoint);
            }
            if (r != null) {
                ping(r, record);
            }
            return dbs;
        } catch (RuntimeException e) {
            if (dbs != null) {
                dbs.close();
            } else {
                vertx.close();
            }
            throw e;
        }
    }

    private static Pool pool(Vertx vertx, Endpoint endpoint, int size) {
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(size)).connectingTo(endpoint.connectOptions())
                .using(vertx).build();
    }

    private static void ping(Pool pool, Endpoint endpoint) {
        try {
            Await.result(pool.query("SELECT 1").execute());
        } catch (JobFailure e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobFailure(JobFailure.UNUSABLE, "cannot reach " + endpoint.describe() + ": " + e.getMessage(), e);
        }
    }

    public Pool source() {
        return source;
    }

    public Pool target() {
        return target;
    }

    /** The pool holding checkpoints; the target pool when no checkpoint database was given. */
    public Pool checkpoint() {
        return checkpoint != null ? checkpoint : target;
    }

    /** The pool of the database runs are recorded in, or null when they are not. */
    public Pool record() {
        return record;
    }

    /** Whether checkpoints live in the target database (then a batch and its checkpoint commit together). */
    public boolean checkpointInTarget() {
        return checkpoint == null;
    }

    @Override
    public void close() {
        for (Pool p : new Pool[] {source, target, checkpoint, record}) {
            if (p != null) {
                Await.result(p.close().recover(e -> io.vertx.core.Future.succeededFuture()));
            }
        }
        // Not awaited: Netty's graceful shutdown waits a quiet period (2 s) that a job need not sit through;
        // the pools above are closed, and a job's JVM exits right after.
        vertx.close();
    }
}
