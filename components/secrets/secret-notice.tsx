"use client";

import { createChangeNotice } from "@/components/ui/change-notice";

// A deleted or restored secret's row is gone by the time the answer arrives.
const notice = createChangeNotice("secret-notice");
export const announceSecretChange = notice.announce;
export const SecretNotice = notice.ChangeNotice;
