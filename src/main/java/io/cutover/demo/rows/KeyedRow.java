package io.cutover.demo.rows;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;

/** What every id-keyed table of both schemas has: a text id and a creation time. */
@MappedSuperclass
public abstract class KeyedRow {

    @Id
    public String id;
    @Column(name = "created_at")
    public Instant createdAt;
}
