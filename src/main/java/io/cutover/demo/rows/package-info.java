/**
 * The columns V1's and V2's reference tables share, as JPA mapped superclasses: each schema's
 * entity ({@code demo.v1}, {@code demo.v2}) adds only what its schema has beside them (V2's
 * {@code tenant_id}, V1's {@code type}/{@code config} against V2's template and attributes).
 * Both persistence units list this package.
 */
package io.cutover.demo.rows;
