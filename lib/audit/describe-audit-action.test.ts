import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS } from "./audit-actions";
import { AUDIT_ACTION_LABELS, auditActionLabel, auditActionMatches } from "./describe-audit-action";

describe("audit action labels", () => {
  it("every action has a short label a person reads", () => {
    expect(AUDIT_ACTIONS.filter((action) => !AUDIT_ACTION_LABELS[action])).toEqual([]);
    expect(auditActionLabel("member.role_changed")).toBe("Changed role");
    expect(auditActionLabel("auth.sign_in_succeeded")).toBe("Signed in");
  });

  it("an unknown action reads as its code", () => {
    expect(auditActionLabel("something.new")).toBe("something.new");
  });

  it("the filter's search finds an action by a word of its label or by its code", () => {
    const found = (query: string) => AUDIT_ACTIONS.filter((action) => auditActionMatches(action, query));
    expect(found("role")).toContain("member.role_changed");
    expect(found("member.role")).toEqual(["member.role_changed"]);
    expect(found("API key")).toEqual(["api_key.created", "api_key.revoked"]);
    expect(found("agent budget")).toEqual(["agent.budget_changed", "agent.budget_alert"]);
    expect(found("budget alert")).toEqual(["agent.budget_alert"]);
    expect(found("")).toHaveLength(AUDIT_ACTIONS.length);
  });
});
