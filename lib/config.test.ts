import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const production = {
  NODE_ENV: "production",
  AUTH_SECRET: "a".repeat(32),
  WARDEN_MASTER_KEY: Buffer.alloc(32, 1).toString("base64"),
  APP_DATABASE_URL: "postgresql://warden_app@localhost/warden",
};

describe("configuration", () => {
  it("starts in production with every secret set", () => {
    expect(parseConfig(production).NODE_ENV).toBe("production");
  });

  it.each(["AUTH_SECRET", "WARDEN_MASTER_KEY", "APP_DATABASE_URL"])("refuses production without %s, naming it", (name) => {
    expect(() => parseConfig({ ...production, [name]: undefined })).toThrow(new RegExp(name));
  });

  it("refuses a secret shorter than 32 bytes and a master key that is not 32 bytes", () => {
    expect(() => parseConfig({ ...production, AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET must be at least 32 bytes/);
    expect(() => parseConfig({ ...production, WARDEN_MASTER_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/WARDEN_MASTER_KEY/);
  });

  it("email is off without SMTP_URL, needs MAIL_FROM with it, and a bad SMTP_URL is refused without echoing its password", () => {
    expect(parseConfig({ SMTP_URL: "" }).SMTP_URL).toBeUndefined();
    expect(() => parseConfig({ SMTP_URL: "smtp://mailer:hunter2@mail.example:587" })).toThrow(/MAIL_FROM is required/);
    expect(parseConfig({ SMTP_URL: "smtps://mail.example:465", MAIL_FROM: "Warden <w@example.com>" }).SMTP_URL).toBe("smtps://mail.example:465");
    expect(() => parseConfig({ SMTP_URL: "https://mailer:hunter2@mail.example", MAIL_FROM: "w@example.com" })).toThrow(/^(?!.*hunter2).*SMTP_URL/);
  });

  it("uses secure __Host- cookies only when served over HTTPS", () => {
    expect(parseConfig({ ...production, WARDEN_URL: "https://warden.example" }).secureCookies).toBe(true);
    expect(parseConfig({}).secureCookies).toBe(false);
  });

  it("WARDEN_METRICS_WORKSPACE_LABELS is off unless set true", () => {
    expect(parseConfig({}).WARDEN_METRICS_WORKSPACE_LABELS).toBe(false);
    expect(parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "true" }).WARDEN_METRICS_WORKSPACE_LABELS).toBe(true);
    expect(parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "false" }).WARDEN_METRICS_WORKSPACE_LABELS).toBe(false);
    expect(() => parseConfig({ WARDEN_METRICS_WORKSPACE_LABELS: "yes" })).toThrow(/WARDEN_METRICS_WORKSPACE_LABELS/);
  });
});
