package io.cutover.admin;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code cutover.admin.*} (env {@code CUTOVER_ADMIN_TOKEN}). */
@ConfigMapping(prefix = "cutover.admin")
public interface AdminConfig {

    /**
     * The bearer token of the admin API. Without one the admin API answers 503: it is never open by
     * default.
     */
    Optional<String> token();
}
