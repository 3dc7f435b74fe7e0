import { z } from "zod";
import { safeDate, safeText } from "../validation/safe-input";
import { moneySchema } from "../agents/schemas";

export const MODEL_NAME_MAX = 200;

const emptyAsMissing = (value: unknown) => (value === "" ? undefined : value);

export const setModelPriceSchema = z.object({
  model: safeText({ max: MODEL_NAME_MAX, message: "Enter the model's name" }).min(1, "Enter the model's name"),
  inputPerMtok: moneySchema("Enter the input price per million tokens, e.g. 2.50"),
  outputPerMtok: moneySchema("Enter the output price per million tokens, e.g. 10.00"),
  /** Empty: today (UTC). */
  effectiveFrom: z.preprocess(emptyAsMissing, safeDate("Enter a valid date").optional()),
});

export type SetModelPriceInput = z.output<typeof setModelPriceSchema>;
