package io.cutover.migration.backfill;

import io.cutover.migration.Rejects;
import java.util.ArrayList;
import java.util.List;

/**
 * What writing a page did: rows inserted, rows updated, the rows V2 refused (set aside), and whether the page's
 * checkpoint already committed with it.
 */
record Written(long inserted, long updated, List<Rejects.Reject> rejected, boolean checkpointSaved) {

    static final Written NONE = new Written(0, 0, List.of(), false);

    static Written of(UpsertWriter.Counts counts, boolean checkpointSaved) {
        return new Written(counts.inserted(), counts.updated(), List.of(), checkpointSaved);
    }

    static Written rejected(Rejects.Reject reject) {
        return new Written(0, 0, List.of(reject), false);
    }

    Written plus(Written other) {
        List<Rejects.Reject> all = new ArrayList<>(rejected);
        all.addAll(other.rejected);
        return new Written(inserted + other.inserted, updated + other.updated, List.copyOf(all), false);
    }
}
