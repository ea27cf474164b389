package io.pyrometer.rules;

/** A rule's health after its last evaluation, as the API spells it. */
public enum RuleHealth {
    UNKNOWN("unknown"), OK("ok"), ERR("err");

    private final String apiName;

    RuleHealth(String apiName) { this.apiName = apiName; }

    public String apiName() { return apiName; }
}
