// Durable order workflow: charge, reserve, ship, wait for the warehouse.
// The handler is replayed from the top after every wait; completed steps return their checkpoints.
import { withDurableExecution } from "@aws/durable-execution-sdk-js";
import { randomUUID } from "node:crypto";
import { loadCustomer } from "./lib/customers.mjs";

const TABLE = process.env.ORDERS_TABLE; // correct: module level, read once per environment

export const handler = withDurableExecution(async (event, ctx) => {
  const orderId = randomUUID(); // BUG DF001: a different id on every replay
  const paymentId = await ctx.step("mint-payment-id", async () => randomUUID()); // correct: minted in a step

  const customer = await loadCustomer(event.customerId); // BUG DF002 is reported in lib/customers.mjs
  const fresh = await ctx.step("load-customer", async () => loadCustomer(event.customerId)); // correct

  console.log("processing order", orderId); // BUG DF019: logged again on every replay
  ctx.logger.info("processing order", { paymentId }); // correct: replay-aware logger

  await ctx.step(`charge-${Date.now()}`, async () => ({ paymentId, amount: event.amount })); // BUG DF005
  await ctx.step(`reserve-${event.orderId}`, async () => event.items.length); // correct: name from the input

  let shipped = 0;
  await ctx.step("ship", async () => {
    shipped++; // BUG DF011: lost on replay
    return TABLE;
  });
  const labels = await ctx.step("labels", async () => event.items.map((item) => `label-${item.sku}`)); // correct

  if (process.env.EXPRESS === "1") { // BUG DF003: the flag can change before a replay
    await ctx.step("express", async () => true);
  }
  if (Math.random() < 0.1) await ctx.step("survey", async () => true); // BUG DF001 and DF006
  const express = await ctx.step("express-flag", async () => process.env.EXPRESS === "1"); // correct
  if (express) await ctx.step("express-pack", async () => true); // correct: branch on a step result

  await new Promise((resolve) => setTimeout(resolve, 30_000)); // BUG DF004: sleeps again on replay
  await ctx.wait("settle", { seconds: 30 }); // correct: a durable wait

  return { orderId, customer: customer.id, fresh: fresh.id, shipped, labels };
});
