package io.cutover.testing;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a server (the router's PostgreSQL in the tests) that a test switches
 * between passing bytes, stalling (connections stay open, new ones are accepted, nothing moves in
 * either direction: a hung or {@code SIGSTOP}ped server, a black-holed network) and down (every
 * connection closed, new ones closed at once: a killed server).
 */
public final class StallingRelay implements AutoCloseable {

    public enum Mode { PASS, STALL, DOWN }

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private final int targetPort;
    private volatile Mode mode = Mode.PASS;
    private NetServer server;

    public StallingRelay(int targetPort) {
        this.targetPort = targetPort;
    }

    public StallingRelay start() {
        server = vertx.createNetServer().connectHandler(this::accept);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        return this;
    }

    public int port() {
        return server.actualPort();
    }

    private void accept(NetSocket in) {
        if (mode == Mode.DOWN) {
            in.close();
            return;
        }
        in.pause();
        client.connect(targetPort, "127.0.0.1").onFailure(e -> in.close()).onSuccess(out -> {
            out.pause();
            sockets.add(in);
            sockets.add(out);
            in.handler(out::write);
            out.handler(in::write);
            in.closeHandler(v -> { sockets.remove(in); out.close(); });
            out.closeHandler(v -> { sockets.remove(out); in.close(); });
            if (mode == Mode.PASS) {
                in.resume();
                out.resume();
            } else if (mode == Mode.DOWN) {
                in.close();
            }
        });
    }

    /** Nothing moves until {@link #pass()}; connections stay open and new ones are accepted. */
    public void stall() {
        mode = Mode.STALL;
        sockets.forEach(NetSocket::pause);
    }

    /** Every connection closed; new ones are closed as soon as they are accepted. */
    public void down() {
        mode = Mode.DOWN;
        sockets.forEach(NetSocket::close);
    }

    public void pass() {
        mode = Mode.PASS;
        sockets.forEach(NetSocket::resume);
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
