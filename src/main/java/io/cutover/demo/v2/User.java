package io.cutover.demo.v2;

import io.cutover.demo.rows.UserRow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** V2 {@code users}: email unique per tenant. */
@Entity(name = "V2User")
@Table(name = "users")
public class User extends UserRow {

    @Column(name = "tenant_id")
    public String tenantId;
}
