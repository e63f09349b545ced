package io.cutover.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.restassured.response.ValidatableResponse;

/**
 * An operator's change of the progression ({@code POST /admin/progression/<action>}), asked again as its 409 says
 * ("look and ask again") when it lost the race with the guard's own write of a hold: while the guard's windows are
 * inconclusive that write comes every second, on a single replica too. Any other answer is returned as it is.
 */
public final class ProgressionChanges {

    private static final int ATTEMPTS = 5;

    private ProgressionChanges() {
    }

    public static ValidatableResponse post(String token, String action, String reason) {
        for (int attempt = 1; ; attempt++) {
            ValidatableResponse answer = given().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body("{\"reason\":\"" + reason + "\"}").post("/admin/progression/" + action).then();
            String refused = answer.extract().statusCode() == 409 ? answer.extract().jsonPath().getString("refused") : null;
            if (refused == null || !refused.contains("changed the progression meanwhile")) {
                return answer;
            }
            assertThat(attempt).as("lost the race with the guard's hold " + attempt + " times").isLessThan(ATTEMPTS);
        }
    }
}
