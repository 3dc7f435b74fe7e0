import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";

// zxcvbn-ts with its bundled list of the most common and breached passwords and
// keyboard layouts: nothing is fetched, so the check works on an offline server.
// Score 3 means "safely unguessable" (about 10^8 guesses or more): with Argon2id in
// front, an offline attacker gets nowhere near that many tries per password.
export const MIN_SCORE = 3;

let factory: ZxcvbnFactory | undefined;
const checker = () => (factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

const REASONS: Record<string, string> = {
  common: "This is one of the most common passwords",
  similarToCommon: "This is a common password with a small change",
  topTen: "This is one of the ten most used passwords",
  topHundred: "This is one of the hundred most used passwords",
  straightRow: "A row of keys on the keyboard is easy to guess",
  keyPattern: "A keyboard pattern is easy to guess",
  simpleRepeat: "Repeated characters are easy to guess",
  extendedRepeat: "Repeated groups of characters are easy to guess",
  sequences: "Sequences like abc or 6543 are easy to guess",
  recentYears: "Recent years are easy to guess",
  dates: "Dates are easy to guess",
  userInputs: "It is built from your name or email",
};

/**
 * Why a password is too easy to guess, or null. `related` are words an attacker
 * would try first for this person (their email's parts, their name).
 */
export function guessablePasswordProblem(password: string, related: string[] = []): string | null {
  const result = checker().check(
    password,
    related.filter((word) => word.length >= 3),
  );
  if (result.score >= MIN_SCORE) return null;
  const reason = REASONS[result.feedback.warning ?? ""] ?? "This password is too easy to guess";
  return `${reason}. Try a passphrase of three or four unrelated words.`;
}
