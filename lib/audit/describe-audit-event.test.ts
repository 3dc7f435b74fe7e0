import { describe, expect, it } from "vitest";
import { describeEvent } from "./describe-audit-event";

describe("describeEvent", () => {
  it("reads a role change as a sentence naming both people and the new role", () => {
    expect(describeEvent({ action: "member.role_changed", actor: "Dave", target: "Eve", metadata: { before: { role: "viewer" }, after: { role: "admin" } } })).toBe("Dave changed Eve's role to admin");
  });

  it("falls back to the recorded email for a target who is no longer a member", () => {
    expect(describeEvent({ action: "member.removed", actor: "Dave", target: null, metadata: { email: "eve@example.test" } })).toBe("Dave removed eve@example.test");
  });

  it("names API keys and invitations by what a person recognises", () => {
    expect(describeEvent({ action: "api_key.created", actor: "Dave", target: null, metadata: { name: "SIEM export" } })).toBe("Dave created the API key “SIEM export”");
    expect(describeEvent({ action: "member.invited", actor: "Dave", target: null, metadata: { email: "new@example.test", role: "viewer" } })).toBe("Dave invited new@example.test as viewer");
  });

  it("names secrets and environments by name and environment, never anything else", () => {
    expect(describeEvent({ action: "secret.deleted", actor: "Dave", target: null, metadata: { name: "OPENAI_API_KEY", environment: "production", version: 3 } })).toBe(
      "Dave deleted the secret OPENAI_API_KEY in production",
    );
    expect(describeEvent({ action: "secret.purged", actor: "retention", target: null, metadata: { name: "OLD_KEY", environment: "staging", version: 1 } })).toBe(
      "The secret OLD_KEY in staging was purged 30 days after it was deleted",
    );
    const secret = { name: "OPENAI_API_KEY", environment: "production" };
    expect(describeEvent({ action: "secret.rolled_back", actor: "Ada", target: null, metadata: { ...secret, version: 4, rolled_back_from: 2 } })).toBe(
      "Ada rolled the secret OPENAI_API_KEY in production back to version 2, as version 4",
    );
    expect(describeEvent({ action: "secret.version_destroyed", actor: "Ada", target: null, metadata: { ...secret, version: 2, current: false } })).toBe(
      "Ada destroyed version 2 of the secret OPENAI_API_KEY in production",
    );
    expect(describeEvent({ action: "secret.revealed", actor: "Ada", target: null, metadata: { ...secret, version: 3 } })).toBe("Ada revealed version 3 of the secret OPENAI_API_KEY in production");
    expect(describeEvent({ action: "secret.accessed", actor: "runtime (wdn_live_ab…)", target: null, metadata: { ...secret, version: 3, previous_window_count: null } })).toBe(
      "runtime (wdn_live_ab…) resolved version 3 of the secret OPENAI_API_KEY in production",
    );
    expect(describeEvent({ action: "secret.accessed", actor: "runtime", target: null, metadata: { ...secret, version: 3, previous_window_count: 20 } })).toBe(
      "runtime resolved version 3 of the secret OPENAI_API_KEY in production (20 times in its previous minute)",
    );
    expect(describeEvent({ action: "secret.accessed", actor: "runtime", target: null, metadata: { ...secret, version: 3, window_count: 7, sealed: true } })).toBe(
      "runtime resolved version 3 of the secret OPENAI_API_KEY in production 7 times within one minute",
    );
    expect(describeEvent({ action: "secret.updated", actor: "Ada", target: null, metadata: { ...secret, version: 3, value_changed: true } })).toBe(
      "Ada wrote version 3 of the secret OPENAI_API_KEY in production",
    );
    expect(describeEvent({ action: "secret.updated", actor: "Ada", target: null, metadata: { ...secret, version: 3, value_changed: false } })).toBe(
      "Ada changed the details of the secret OPENAI_API_KEY in production",
    );
    expect(describeEvent({ action: "environment.renamed", actor: "Dave", target: null, metadata: { before: { name: "qa" }, after: { name: "qa-eu" } } })).toBe(
      "Dave renamed the environment “qa” to “qa-eu”",
    );
  });

  it("names agents and model prices, with a cap's change in dollars", () => {
    expect(describeEvent({ action: "agent.created", actor: "Ada", target: null, metadata: { name: "support-bot", daily_cap: "12.50" } })).toBe("Ada created the agent “support-bot”");
    expect(describeEvent({ action: "agent.renamed", actor: "Ada", target: null, metadata: { before: { name: "bot" }, after: { name: "support-bot" } } })).toBe(
      "Ada renamed the agent “bot” to “support-bot”",
    );
    expect(describeEvent({ action: "agent.budget_changed", actor: "Ada", target: null, metadata: { name: "bot", before: { state: "active" }, after: { state: "paused" } } })).toBe(
      "Ada paused the agent “bot”",
    );
    expect(describeEvent({ action: "agent.budget_changed", actor: "Ada", target: null, metadata: { name: "bot", before: { state: "paused" }, after: { state: "active" } } })).toBe(
      "Ada resumed the agent “bot”",
    );
    expect(describeEvent({ action: "agent.budget_changed", actor: "Ada", target: null, metadata: { name: "bot", before: { daily_cap: "10.00" }, after: { daily_cap: "12.50" } } })).toBe(
      "Ada changed the budget of the agent “bot”: daily cap $10.00 → $12.50",
    );
    expect(describeEvent({ action: "agent.budget_changed", actor: "Ada", target: null, metadata: { name: "bot", before: { daily_cap: "10.00" }, after: { daily_cap: "10.00" } } })).toBe(
      "Ada changed the budget of the agent “bot”",
    );
    expect(describeEvent({ action: "pricing.changed", actor: "Ada", target: null, metadata: { model: "gpt-4o", effective_from: "2026-11-23" } })).toBe(
      "Ada changed the price of the model “gpt-4o” from 2026-11-23",
    );
  });

  it("reads a workspace's renames, moves and settings changes with before and after", () => {
    expect(describeEvent({ action: "workspace.renamed", actor: "Ada", target: null, metadata: { before: { name: "Acme" }, after: { name: "Acme Labs" } } })).toBe(
      "Ada renamed the workspace “Acme” to “Acme Labs”",
    );
    expect(describeEvent({ action: "workspace.slug_changed", actor: "Ada", target: null, metadata: { before: { slug: "acme" }, after: { slug: "acme-labs" } } })).toBe(
      "Ada moved the workspace from /w/acme to /w/acme-labs",
    );
    expect(
      describeEvent({
        action: "workspace.settings_changed",
        actor: "Ada",
        target: null,
        metadata: { before: { audit_retention_days: 90, time_zone: "UTC" }, after: { audit_retention_days: null, time_zone: "Asia/Tokyo" } },
      }),
    ).toBe("Ada changed the workspace's settings: time zone UTC → Asia/Tokyo; audit retention 90 days → forever");
    expect(describeEvent({ action: "workspace.settings_changed", actor: "Ada", target: null, metadata: { before: { pii_redaction: [] }, after: { pii_redaction: ["email", "card"] } } })).toBe(
      "Ada changed the workspace's settings: PII redaction none → email, card",
    );
  });

  it("still reads an action it has no sentence for", () => {
    expect(describeEvent({ action: "something.new", actor: "Dave", target: null, metadata: {} })).toBe("Dave: something.new");
  });
});
