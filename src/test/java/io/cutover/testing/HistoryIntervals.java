package io.cutover.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;
import java.time.Duration;

/**
 * Moves the router's history from one interval to the next with the test ticker (no sleeping for an interval):
 * reads the open interval from {@code GET /admin/history} and advances the ticker just past its end.
 */
public final class HistoryIntervals {

    /** How far past the boundary the ticker lands: the test then has nearly a whole interval of real time. */
    private static final Duration PAST_BOUNDARY = Duration.ofMillis(20);

    private final TestTicker ticker;
    private final String token;

    public HistoryIntervals(TestTicker ticker, String token) {
        this.ticker = ticker;
        this.token = token;
    }

    public JsonPath history() {
        return given().header("Authorization", "Bearer " + token).get("/admin/history")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The start (as the router writes it) of the interval being counted now. */
    public String open() {
        return history().getString("open.start");
    }

    /** Closes the open interval and starts a fresh one; returns the fresh one's start. */
    public String next() {
        JsonPath h = history();
        String before = h.getString("open.start");
        ticker.advance(Duration.ofMillis(h.getLong("open.closesInMs")).plus(PAST_BOUNDARY));
        String now = open();
        if (now.equals(before)) {
            throw new AssertionError("the ticker moved past " + before + " but the history did not close it");
        }
        return now;
    }
}
