"use server";

import { z } from "zod";
import { userAction } from "../user-action";
import { startEnrollment as start } from "../../mfa/enrollment";

export const startEnrollment = userAction(z.object({}), async ({ session }) => start(session));
