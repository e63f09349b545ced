package io.cutover.dualwrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain JUnit with a real Vert.x: whose context a batch's continuations run on. */
class BatcherTest {

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldCompleteEachSubmitterOnTheContextItSubmittedFrom() throws Exception {
        // three event loops: two requests' and the one the database client answers on
        Context first = newContext();
        Context second = newContext();
        Context database = newContext();
        assertThat(List.of(first, second, database)).doesNotHaveDuplicates();
        List<Promise<Void>> flushes = new CopyOnWriteArrayList<>();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        Batcher<String> batcher = new Batcher<>(100, items -> {
            Promise<Void> p = Promise.promise();
            batches.add(List.copyOf(items));
            flushes.add(p);
            return p.future();
        });

        CompletableFuture<Context> firstRanOn = submitFrom(first, batcher, "a");
        awaitSize(flushes, 1);                        // "a" is in flight
        CompletableFuture<Context> secondRanOn = submitFrom(second, batcher, "b");     // "b" and "c" wait
        CompletableFuture<Context> thirdRanOn = submitFrom(first, batcher, "c");
        await(database, () -> flushes.get(0).complete());
        awaitSize(flushes, 2);                        // "b" and "c" go together in the next batch
        await(database, () -> flushes.get(1).complete());

        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c"));
        assertThat(firstRanOn.get(10, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(secondRanOn.get(10, TimeUnit.SECONDS)).isSameAs(second);
        assertThat(thirdRanOn.get(10, TimeUnit.SECONDS)).isSameAs(first);
    }

    @Test
    void shouldFailEachSubmitterOnItsOwnContextToo() throws Exception {
        Context request = newContext();
        Context database = newContext();
        Batcher<String> batcher = new Batcher<>(100, items -> Future.future(p -> database.runOnContext(
                v -> p.fail(new IllegalStateException("database down")))));
        CompletableFuture<Context> ranOn = new CompletableFuture<>();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        request.runOnContext(v -> batcher.submit("a").onComplete(ar -> {
            failure.complete(ar.cause());
            ranOn.complete(Vertx.currentContext());
        }));
        assertThat(failure.get(10, TimeUnit.SECONDS)).hasMessage("database down");
        assertThat(ranOn.get(10, TimeUnit.SECONDS)).isSameAs(request);
    }

    /** A new event-loop context (each deployment gets the next event loop). */
    private Context newContext() throws Exception {
        CompletableFuture<Context> deployed = new CompletableFuture<>();
        vertx.deployVerticle(new AbstractVerticle() {
            @Override
            public void start() {
                deployed.complete(context);
            }
        }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return deployed.get();
    }

    /** Submits from the context (and waits until it did); the future tells which context the continuation ran on. */
    private static CompletableFuture<Context> submitFrom(Context context, Batcher<String> batcher, String item)
            throws Exception {
        CompletableFuture<Context> ranOn = new CompletableFuture<>();
        await(context, () -> batcher.submit(item).onComplete(ar -> ranOn.complete(Vertx.currentContext())));
        return ranOn;
    }

    /** Runs on the context and waits until it has run (the context's earlier tasks have run too). */
    private static void await(Context context, Runnable task) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(v -> {
            task.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static void awaitSize(List<?> list, int size) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> list.size() >= size);
    }
}
