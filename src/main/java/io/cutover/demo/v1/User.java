package io.cutover.demo.v1;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** V1 {@code users}. */
@Entity(name = "V1User")
@Table(name = "users")
public class User {

    @Id
    public String id;
    public String email;
    public String name;
    public String role;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
