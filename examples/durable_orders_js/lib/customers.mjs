// Customer lookups shared by the workflow.
export async function loadCustomer(id) {
  const res = await fetch(`https://customers.example.com/${id}`); // BUG DF002 when called outside a step
  return res.json();
}
