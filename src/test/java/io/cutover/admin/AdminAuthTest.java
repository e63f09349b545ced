package io.cutover.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAuthTest {

    @Test
    void shouldBeDisabledWithoutAConfiguredToken() {
        assertThat(new AdminAuth(Optional.empty()).check("Bearer anything")).isEqualTo(AdminAuth.Decision.DISABLED);
        assertThat(new AdminAuth(Optional.of("  ")).check("Bearer ")).isEqualTo(AdminAuth.Decision.DISABLED);
        assertThat(AdminAuth.Decision.DISABLED.status).isEqualTo(503);
    }

    @Test
    void shouldRefuseAMissingOrMalformedOrWrongToken() {
        AdminAuth auth = new AdminAuth(Optional.of("s3cret"));
        assertThat(auth.check(null)).isEqualTo(AdminAuth.Decision.MISSING);
        assertThat(auth.check("Basic czNjcmV0")).isEqualTo(AdminAuth.Decision.MISSING);
        assertThat(auth.check("Bearer s3cre")).isEqualTo(AdminAuth.Decision.WRONG);
        assertThat(auth.check("Bearer s3cret2")).isEqualTo(AdminAuth.Decision.WRONG);
        assertThat(auth.check("Bearer s3cret")).isEqualTo(AdminAuth.Decision.ALLOWED);
        assertThat(auth.check("bearer  s3cret ")).isEqualTo(AdminAuth.Decision.ALLOWED);
    }
}
