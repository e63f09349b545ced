package io.cutover.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of the README and docs/ leads somewhere in the checkout: the file exists, it is
 * inside the repository (a fresh clone has nothing beside it), and a {@code #anchor} names a
 * heading of the target (GitHub's slugs).
 */
class DocLinksTest {


    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

    @Test
    void everyRelativeLinkOfTheDocumentationLeadsToAFileAndHeadingOfTheCheckout() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : Docs.markdownFiles()) {
            String text = FENCE.matcher(read(page)).replaceAll("");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue;
                }
                checked++;
                String problem = problem(page, target);
                if (problem != null) {
                    broken.add(Docs.ROOT.relativize(page) + ": (" + target + ") " + problem);
                }
            }
        }
        assertThat(checked).as("relative links found").isGreaterThan(10);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void headingsBecomeGitHubAnchors() {
        assertThat(anchors("# Cutover\n## Dual write that loses nothing\n### `cutover.outbox.*` (keys)\n## Tests\n## Tests\n"))
                .contains("cutover", "dual-write-that-loses-nothing", "cutoveroutbox-keys", "tests", "tests-1");
    }

    private static String problem(Path page, String target) {
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!resolved.startsWith(Docs.ROOT)) {
            return "is outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "does not exist";
        }
        if (anchor != null && resolved.toString().endsWith(".md") && !anchors(read(resolved)).contains(anchor)) {
            return "names no heading of " + Docs.ROOT.relativize(resolved);
        }
        return null;
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : FENCE.matcher(markdown).replaceAll("").lines().toList()) {
            if (!line.matches("^#{1,6} .*")) {
                continue;
            }
            String slug = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static String read(Path p) {
        return Docs.read(Docs.ROOT.relativize(p).toString());
    }
}
