package io.cutover.demo.rows;

import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** The {@code users} columns of both schemas. */
@MappedSuperclass
public abstract class UserRow extends KeyedRow {

    public String email;
    public String name;
    public String role;
    @Column(name = "updated_at")
    public Instant updatedAt;
}
