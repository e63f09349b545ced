/**
 * The reference backends of dev mode and the tests: V1 and V2 serving the reference API
 * ({@code reference/README.md}) over the reference schemas ({@code reference/v1.sql}, {@code v2.sql})
 * in plain SQL on the Vert.x PostgreSQL client, each in its own database (reactive datasources
 * {@code ref-v1}, {@code ref-v2}): {@link io.cutover.demo.Table} per entity, {@code Readings} for
 * telemetry, the two schemas' differences in {@code V1Store} and {@code V2Store}.
 *
 * <p>{@code cutover.demo.enabled=true} makes {@link io.cutover.demo.DemoBackends} apply the schemas
 * where absent and start V1 on {@code 127.0.0.1:${cutover.demo.v1-port}} (default 8081) and V2 on
 * {@code 127.0.0.1:${cutover.demo.v2-port}} (default 8082); V2 reads the tenant from
 * {@code cutover.tenant.header} (default {@code X-Tenant-Id}). Dev and test builds only.
 *
 * <p>Behaviour worth knowing:
 * <ul>
 * <li>Lists are JSON arrays, keyset-paged by id ({@code after}, {@code limit} 1..1000, default 100).
 * <li>Telemetry windows take {@code from} inclusive and {@code to} exclusive, in timestamp order.
 * <li>An Idempotency-Key is remembered per tenant (not per path) in {@code cutover_ref_idempotency},
 *     with whatever first answer it got, errors included; a replay is the same status and body and
 *     does not write.
 * <li>V2 adds {@code tenantId} to every object and writes rows as the default V1 -> V2 mapping
 *     does (see {@link io.cutover.demo.V2Store}); otherwise the shapes are V1's.
 * <li>Deleting a device deletes its readings; a delete of a row still referenced is a 409; an
 *     unknown {@code ownerId} or {@code deviceId} reference is a 400 naming the field.
 * </ul>
 */
package io.cutover.demo;
