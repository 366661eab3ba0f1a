// Durable shipping workflow: book carriers, label every parcel, wait for pickup.
// Durable operations start when called; the handler only waits for the ones it awaits.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";

const PICKUP = { timeout: { hours: 48 }, heartbeatTimeout: { hours: 2 } };

async function bookCarrier(order) {
  return { carrier: "ups", order: order.id };
}

export const handler = withDurableExecution(async (event, ctx) => {
  const ups = ctx.step("quote-ups", async () => ({ carrier: "ups", price: 10 }));
  const dhl = ctx.step("quote-dhl", async () => ({ carrier: "dhl", price: 12 }));
  const first = await Promise.race([ups, dhl]); // BUG DF008: replay can pick the other winner
  const best = await ctx.promise.race("best-quote", [ups, dhl]); // correct: checkpointed

  await ctx.step("book", bookCarrier(event)); // BUG DF015: the booking runs now, on every replay
  await ctx.step("book-again", () => bookCarrier(event)); // correct: a function

  ctx.wait("cool-off", { seconds: 30 }); // BUG DF012: not awaited, so it does not wait
  await ctx.wait("settle", { seconds: 30 }); // correct

  event.parcels.forEach(async (parcel) => { // BUG DF013: forEach does not wait for the labels
    await ctx.step(`label-${parcel.id}`, async () => parcel.id);
  });
  await ctx.map("labels", event.parcels, async (child, parcel) => child.step(async () => parcel.id)); // correct

  await ctx.step("weigh", async () => {
    await ctx.wait({ seconds: 5 }); // BUG DF009: an operation inside a step
  });
  await ctx.runInChildContext("inspect", async (child) => {
    await child.wait({ seconds: 5 }); // correct: the child's own context
    return ctx.step("photo", async () => event.id); // BUG DF010: the parent's context in a child
  });

  const pickup = await ctx.waitForCallback("pickup", async (callbackId) => { // BUG DF016: no timeout
    await fetch("https://carrier.example.com/pickups", { method: "POST", body: callbackId });
  });
  const delivery = await ctx.waitForCallback("delivery", async (callbackId) => { // correct: a shared timeout
    await fetch("https://carrier.example.com/deliveries", { method: "POST", body: callbackId });
  }, PICKUP);
  return { first, best, pickup, delivery };
});
