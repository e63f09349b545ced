package io.cutover.demo.v2;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** V2 {@code users}: email unique per tenant. */
@Entity(name = "V2User")
@Table(name = "users")
public class User {

    @Id
    public String id;
    @Column(name = "tenant_id")
    public String tenantId;
    public String email;
    public String name;
    public String role;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
