import { describeEmailDelivery, type EmailDelivery } from "@/lib/email/email-delivery";

/**
 * Beside a link the console shows once: whether it was also emailed. Said in words;
 * a failure is set apart, since the person must now send the link themselves.
 */
export function EmailDeliveryNote({ delivery }: { delivery: EmailDelivery | undefined }) {
  const failed = delivery?.status === "failed";
  return (
    <p data-testid="email-delivery" data-status={delivery?.status ?? "off"} className={failed ? "font-medium text-amber-800 dark:text-amber-300" : "text-zinc-600 dark:text-zinc-300"}>
      {describeEmailDelivery(delivery)}
    </p>
  );
}
