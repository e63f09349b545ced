package io.cutover.demo.idempotency;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/**
 * The first answer given to an {@code Idempotency-Key}, in a table of the reference backends' own
 * ({@code cutover_ref_idempotency}, next to the reference schema, never in its tables). Keys are
 * per tenant on V2 (scope = the tenant) and global on V1 (scope = "").
 */
@Entity(name = "IdempotentAnswer")
@Table(name = "cutover_ref_idempotency")
public class IdempotentAnswer {

    @EmbeddedId
    public Key key;

    /** HTTP status of the first answer; 0 while its transaction is still running. */
    public int status;

    /** Encoded JSON body of the first answer, or {@code null} for none. */
    public String body;

    @Column(name = "created_at")
    public Instant createdAt;

    /** Scope and key. */
    @Embeddable
    public record Key(String scope, @Column(name = "idempotency_key") String key) implements Serializable {
    }
}
