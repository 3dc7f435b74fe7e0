import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createServer } from "node:net";
import type pg from "pg";
import { generate } from "otplib";
import { context, ownerClient, PASSWORD, seedMember, seedWorkspace } from "../support/owner-db";
import { cookieJar, signInAs } from "../support/request-stub";
import { startSmtpInbox, type ReceivedEmail } from "../support/smtp-inbox";
import { getConfig } from "../../lib/config";
import { log } from "../../lib/log";
import { idle } from "../../lib/actions/action-state";
import { inviteMember } from "../../lib/actions/members/invite-member";
import { resendInvitation } from "../../lib/actions/members/resend-invitation";
import { issueResetLink } from "../../lib/actions/members/issue-reset-link";
import { revokeAllSessions } from "../../lib/actions/security/revoke-all-sessions";
import { acceptInvitation } from "../../lib/members/accept-invitation";
import { resetPasswordWithLink } from "../../lib/recovery/reset-password-with-link";
import { signInWithPassword } from "../../lib/auth/sign-in-with-password";
import { checkSession, type ValidSession } from "../../lib/auth/sessions/check-session";
import { changePassword } from "../../lib/auth/change-password";
import { confirmEnrollment, startEnrollment } from "../../lib/mfa/enrollment";
import { disableMfa } from "../../lib/mfa/manage-mfa";
import { decrypt } from "../../lib/crypto/envelope";
import { withWorkspace } from "../../lib/db/with-workspace";
import { emailAfterCommit } from "../../lib/email/email-after-commit";
import { composeEmail } from "../../lib/email/email-message";
import { describeEmailDelivery } from "../../lib/email/email-delivery";
import { EmailDeliveryNote } from "../../components/email/email-delivery-note";
import { form } from "../support/form";

// Email goes through a real SMTP server in this process. Every message is kept,
// and every password, code and token the tests handle is searched for in all of them.

vi.mock("next/headers", async () => (await import("../support/request-stub")).nextHeaders);
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

type Inbox = Awaited<ReturnType<typeof startSmtpInbox>>;
let owner: pg.Client;
let inbox: Inbox;
const everyMessage: ReceivedEmail[] = [];
/** Everything no email may contain. */
const secrets = new Set<string>([PASSWORD]);
const NEW_PASSWORD = "tangerine ladder orbit fifty";
secrets.add(NEW_PASSWORD);

const config = getConfig();
const useSmtp = (url: string | undefined) => {
  config.SMTP_URL = url;
  config.MAIL_FROM = url ? "Warden <warden@example.test>" : undefined;
};

beforeAll(async () => {
  owner = await ownerClient();
  inbox = await startSmtpInbox();
});
afterEach(() => useSmtp(inbox.url));
afterAll(async () => {
  await inbox.close();
  await owner.end();
});

const octet = () => Math.floor(Math.random() * 254) + 1;
const freshIp = () => `198.18.${octet()}.${octet()}`;
const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

/** The messages to an address, at least `count` of them, remembered for the final search. */
async function received(to: string, count = 1) {
  const found = await inbox.waitFor(to, count);
  for (const m of found) if (!everyMessage.includes(m)) everyMessage.push(m);
  return found;
}
const linkIn = (text: string, path: "invite" | "reset") => new RegExp(`/${path}/([A-Za-z0-9._-]+)`).exec(text)?.[1];
const signedInToken = () => {
  const token = cookieJar.get("warden.session")!;
  secrets.add(token);
  return token;
};

async function sessionOf(email: string, password = PASSWORD): Promise<ValidSession> {
  const result = await signInWithPassword({ email, password, context: context(freshIp()) });
  if (result.kind !== "session") throw new Error("expected a session");
  secrets.add(result.token);
  return (await checkSession(result.token, { rotate: false, context: context() }))!.session;
}

/** A workspace whose name, and an owner whose name, are HTML. */
async function hostileWorkspace() {
  const ws = await seedWorkspace(owner, "email");
  const name = `Acme <script>alert("x")</script> & Co ${ws.slug}`;
  await owner.query(`UPDATE workspaces SET name = $1 WHERE id = $2`, [name, ws.workspaceId]);
  await owner.query(`UPDATE users SET name = $1 WHERE id = $2`, [`Eve <img src=x onerror=alert(1)>`, ws.ownerId]);
  return { ...ws, name };
}

function expectEscaped(message: ReceivedEmail) {
  expect(message.html).not.toContain("<script>");
  expect(message.html).not.toContain("<img src=x");
  expect(message.html).toContain("&lt;script&gt;");
}

describe("email through SMTP", () => {
  beforeAll(() => useSmtp(inbox.url));

  it("an invitation emails the invitee one message with its link, as text and escaped HTML; the link works once", async () => {
    const ws = await hostileWorkspace();
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const email = `invitee-${ws.slug}@example.test`;
    const state = await inviteMember(idle, form({ workspace: ws.slug, email, role: "viewer" }));
    expect(state.status).toBe("ok");
    if (state.status !== "ok") return;
    expect(state.data.delivery).toEqual({ to: email, status: "sent" });
    expect(describeEmailDelivery(state.data.delivery)).toBe(`Emailed to ${email}.`);

    const messages = await received(email);
    expect(messages).toHaveLength(1);
    const [message] = messages;
    expect(message.from).toBe("warden@example.test");
    expect(message.subject).toContain(ws.name);
    expect(message.text).toContain(state.data.link);
    expect(message.html).toContain(state.data.link);
    expect(message.text).toContain("Eve <img src=x onerror=alert(1)>");
    expectEscaped(message);

    const link = linkIn(message.text, "invite")!;
    await expect(acceptInvitation({ link, context: context(freshIp()), newAccount: { name: "New Person", password: PASSWORD } })).resolves.toBeDefined();
    await expect(acceptInvitation({ link, context: context(freshIp()), newAccount: { name: "Again", password: PASSWORD } })).rejects.toThrow(/no longer valid/);
  });

  it("a resent invitation emails a new link; the emailed old one stops working", async () => {
    const ws = await seedWorkspace(owner, "email-resend");
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const email = `resent-${ws.slug}@example.test`;
    await inviteMember(idle, form({ workspace: ws.slug, email, role: "developer" }));
    const { rows } = await owner.query<{ id: string }>(`SELECT id FROM invitations WHERE workspace_id = $1 AND email = $2`, [ws.workspaceId, email]);
    const state = await resendInvitation(idle, form({ workspace: ws.slug, invitationId: rows[0].id }));
    expect(state.status === "ok" && state.data.delivery.status).toBe("sent");

    const [first, second] = await received(email, 2);
    const oldLink = linkIn(first.text, "invite")!;
    const newLink = linkIn(second.text, "invite")!;
    expect(newLink).not.toBe(oldLink);
    await expect(acceptInvitation({ link: oldLink, context: context(freshIp()), newAccount: { name: "Old", password: PASSWORD } })).rejects.toThrow(/no longer valid/);
    await expect(acceptInvitation({ link: newLink, context: context(freshIp()), newAccount: { name: "New", password: PASSWORD } })).resolves.toBeDefined();
  });

  it("a reset link is emailed to the member, and the emailed link works once", async () => {
    const ws = await hostileWorkspace();
    const member = await seedMember(owner, ws.workspaceId, "developer");
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const state = await issueResetLink(idle, form({ workspace: ws.slug, userId: member.id }));
    expect(state.status).toBe("ok");
    if (state.status !== "ok") return;
    expect(state.data.delivery).toEqual({ to: member.email, status: "sent" });

    const [message] = await received(member.email);
    expect(message.subject).toBe("Reset your Warden password");
    expectEscaped(message);
    const link = linkIn(message.text, "reset")!;
    expect(state.data.link).toContain(link);
    await expect(resetPasswordWithLink({ link, password: NEW_PASSWORD, context: context(freshIp()) })).resolves.toMatchObject({ email: member.email });
    await expect(resetPasswordWithLink({ link, password: `${NEW_PASSWORD} again`, context: context(freshIp()) })).rejects.toThrow();
    // The reset itself is a security notice, emailed too.
    const after = await received(member.email, 2);
    expect(after.map((m) => m.subject)).toContain("Your Warden password was reset");
  });

  it("changing a password emails a notice that holds neither password", async () => {
    const ws = await seedWorkspace(owner, "email-password");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const session = await sessionOf(member.email);
    const { token } = await changePassword({ session, currentPassword: PASSWORD, newPassword: NEW_PASSWORD, context: context() });
    secrets.add(token);
    const [message] = await received(member.email);
    expect(message.subject).toBe("Your Warden password was changed");
    expect(message.text).toContain("Your password was changed.");
    expect(message.text).toContain(`${config.WARDEN_URL}/account/security`);
  });

  it("turning MFA on and then off emails a notice each, without the secret, a code or a recovery code", async () => {
    const ws = await seedWorkspace(owner, "email-mfa");
    const member = await seedMember(owner, ws.workspaceId, "admin");
    const session = await sessionOf(member.email);
    await startEnrollment(session);
    const { rows } = await owner.query(`SELECT mfa_pending_secret_enc FROM users WHERE id = $1`, [member.id]);
    const secret = decrypt(rows[0].mfa_pending_secret_enc, member.id);
    const code = await generate({ secret });
    for (const value of [secret, code]) secrets.add(value);
    const { recoveryCodes, token } = await confirmEnrollment({ session, code, context: context() });
    for (const value of [...recoveryCodes, token]) secrets.add(value);
    await disableMfa({ session, code: recoveryCodes[0], context: context() });

    const messages = await received(member.email, 2);
    expect(messages.map((m) => m.subject)).toEqual(["Two-factor authentication is on for your Warden account", "Two-factor authentication is off for your Warden account"]);
  });

  it("an owner's Revoke all emails every member of the workspace, naming it escaped", async () => {
    const ws = await hostileWorkspace();
    const members = [await seedMember(owner, ws.workspaceId, "developer"), await seedMember(owner, ws.workspaceId, "viewer")];
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const state = await revokeAllSessions(idle, form({ workspace: ws.slug }));
    expect(state.status).toBe("ok");
    for (const to of [...members.map((m) => m.email), ws.ownerEmail]) {
      const [message] = await received(to);
      expect(message.subject).toBe("You were signed out of Warden everywhere");
      expect(message.text).toContain(`Workspace: ${ws.name}.`);
      expectEscaped(message);
    }
  });

  it("a sign-in from a new browser or address is emailed; the same browser family from the same address is not", async () => {
    const ws = await seedWorkspace(owner, "email-device");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    const home = freshIp();
    const signIn = async (ip: string, userAgent: string) => {
      const result = await signInWithPassword({ email: member.email, password: PASSWORD, context: { ...context(ip), userAgent } });
      if (result.kind === "session") secrets.add(result.token);
    };
    await signIn(home, CHROME); // the first sign-in ever is no news
    await signIn(home, CHROME.replace("Chrome/120", "Chrome/121")); // an update is the same device
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.messages.filter((m) => m.to.includes(member.email))).toHaveLength(0);

    const away = freshIp();
    await signIn(away, CHROME);
    await signIn(home, FIREFOX);
    const messages = await received(member.email, 2);
    expect(messages).toHaveLength(2);
    expect(messages[0].subject).toBe("New sign-in to your Warden account");
    expect(messages[0].text).toContain(`Chrome on Windows, from the address ${away}`);
    expect(messages[1].text).toContain(`Firefox on Windows, from the address ${home}`);
  });

  it("nothing is sent for a change that rolls back, and a slow SMTP server does not hold the transaction", async () => {
    const ws = await seedWorkspace(owner, "email-commit");
    const message = composeEmail({ kind: "invitation", to: `rolled-back-${ws.slug}@example.test`, subject: "s", paragraphs: ["p"] });
    await expect(
      withWorkspace(ws.workspaceId, async () => {
        emailAfterCommit(message);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(() => emailAfterCommit(message)).toThrow(/outside a transaction/);

    const slow = await startSmtpInbox({ delayMs: 1_500 });
    useSmtp(slow.url);
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const email = `slow-${ws.slug}@example.test`;
    let answeredAt = 0;
    const action = inviteMember(idle, form({ workspace: ws.slug, email, role: "viewer" })).finally(() => (answeredAt = Date.now()));
    // The invitation is committed, and visible to another connection, while the server still takes its 1.5 s over the email.
    let visibleAt = 0;
    for (let i = 0; i < 200 && !answeredAt && !visibleAt; i++) {
      const { rowCount } = await owner.query(`SELECT 1 FROM invitations WHERE workspace_id = $1 AND email = $2`, [ws.workspaceId, email]);
      if (rowCount) visibleAt = Date.now();
      else await new Promise((r) => setTimeout(r, 20));
    }
    const state = await action;
    expect(visibleAt).toBeGreaterThan(0);
    expect(answeredAt - visibleAt).toBeGreaterThan(1_000);
    expect(state.status === "ok" && state.data.delivery.status).toBe("sent");
    expect(await slow.waitFor(email)).toHaveLength(1);
    await slow.close();
    expect(inbox.messages.some((m) => m.to.includes(message.to))).toBe(false);
  });
});

describe("email off or failing", () => {
  it("with SMTP unset nothing is sent and the invitation says email is off, with the link to copy", async () => {
    useSmtp(undefined);
    const ws = await seedWorkspace(owner, "email-off");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const before = inbox.messages.length;
    const email = `off-${ws.slug}@example.test`;
    const state = await inviteMember(idle, form({ workspace: ws.slug, email, role: "viewer" }));
    expect(state.status).toBe("ok");
    if (state.status !== "ok") return;
    expect(state.data.link).toMatch(/\/invite\//);
    expect(state.data.delivery).toEqual({ to: email, status: "off" });
    expect(renderToStaticMarkup(createElement(EmailDeliveryNote, { delivery: state.data.delivery }))).toContain("Email is off: copy the link");
    const reset = await issueResetLink(idle, form({ workspace: ws.slug, userId: member.id }));
    expect(reset.status === "ok" && reset.data.delivery.status).toBe("off");
    const session = await sessionOf(member.email);
    await changePassword({ session, currentPassword: PASSWORD, newPassword: NEW_PASSWORD, context: context() }).then((r) => secrets.add(r.token));
    await new Promise((r) => setTimeout(r, 300));
    expect(inbox.messages.length).toBe(before);
  });

  it("an SMTP server that refuses fails no action: the invitation stands, its link works, and the inviter is told to copy it", async () => {
    const refusing = await startSmtpInbox({ refuse: true });
    useSmtp(refusing.url);
    const ws = await seedWorkspace(owner, "email-refused");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const email = `refused-${ws.slug}@example.test`;
    const warn = vi.spyOn(log, "warn");
    const state = await inviteMember(idle, form({ workspace: ws.slug, email, role: "viewer" }));
    expect(state.status).toBe("ok");
    if (state.status !== "ok") return;
    expect(state.data.delivery).toEqual({ to: email, status: "failed" });
    // Logged by kind and SMTP status: not the link, its token or the address.
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ kind: "invitation", responseCode: 550 }), "email not sent");
    for (const [fields] of warn.mock.calls) expect(JSON.stringify(fields)).not.toMatch(/invite|refused-/);
    warn.mockRestore();
    expect(renderToStaticMarkup(createElement(EmailDeliveryNote, { delivery: state.data.delivery }))).toContain(`The email to ${email} could not be sent: copy the link`);
    const link = state.data.link.split("/invite/")[1];
    await expect(acceptInvitation({ link, context: context(freshIp()), newAccount: { name: "Copied", password: PASSWORD } })).resolves.toBeDefined();
    // A security notice that cannot be emailed does not undo the change either.
    const session = await sessionOf(member.email);
    await expect(changePassword({ session, currentPassword: PASSWORD, newPassword: NEW_PASSWORD, context: context() })).resolves.toHaveProperty("token");
    expect(refusing.messages).toHaveLength(0);
    await refusing.close();
  });

  it("an SMTP server that cannot be reached fails no action", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    useSmtp(`smtp://127.0.0.1:${port}`);
    const ws = await seedWorkspace(owner, "email-unreachable");
    const member = await seedMember(owner, ws.workspaceId, "viewer");
    await signInAs(owner, ws.ownerId);
    signedInToken();
    const state = await issueResetLink(idle, form({ workspace: ws.slug, userId: member.id }));
    expect(state.status).toBe("ok");
    expect(state.status === "ok" && state.data.delivery).toEqual({ to: member.email, status: "failed" });
  });
});

describe("what email never carries", () => {
  it("no message, raw or decoded, contains a password, a TOTP secret or code, a recovery code or a session token", () => {
    expect(everyMessage.length).toBeGreaterThanOrEqual(10);
    expect(secrets.size).toBeGreaterThanOrEqual(15);
    for (const message of everyMessage) {
      // Quoted-printable breaks long lines with "=\n": joined, a token cannot hide across one.
      const raw = message.raw.replace(/=\r?\n/g, "");
      for (const secret of secrets) {
        for (const body of [raw, message.text, message.html, message.subject]) expect(body).not.toContain(secret);
      }
    }
  });
});
