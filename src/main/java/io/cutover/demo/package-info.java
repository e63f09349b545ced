/**
 * In-memory demo backends that serve the reference API ({@code reference/README.md}) as V1 or V2.
 *
 * <p>In tests, without CDI:
 * <pre>{@code
 * DemoBackend v1 = DemoBackend.builder(Flavor.V1).clock(clock).build();
 * HttpServer server = vertx.createHttpServer().requestHandler(v1.router(vertx)).listen(0)...;
 * }</pre>
 *
 * <p>In the running router: {@code cutover.demo.enabled=true} makes {@link io.cutover.demo.DemoBackends}
 * start V1 on {@code 127.0.0.1:${cutover.demo.v1-port}} (default 8081) and V2 on
 * {@code 127.0.0.1:${cutover.demo.v2-port}} (default 8082); V2 reads the tenant from
 * {@code cutover.tenant.header} (default {@code X-Tenant-Id}).
 *
 * <p>Behaviour worth knowing:
 * <ul>
 * <li>Lists are JSON arrays, keyset-paged by id ({@code after}, {@code limit} 1..1000, default 100).
 * <li>Telemetry windows take {@code from} inclusive and {@code to} exclusive, in timestamp order.
 * <li>An Idempotency-Key is remembered per tenant (not per path), with whatever first answer it
 *     got, errors included; a replay is the same status and body and does not write.
 * <li>V2 adds {@code tenantId} to every object; otherwise the shapes are V1's.
 * <li>Deleting a device deletes its readings; references ({@code ownerId}, {@code deviceId}) are
 *     not checked.
 * </ul>
 */
package io.cutover.demo;
