export const ACCOUNT_REGISTERED = 'account.registered';
export const ACCOUNT_INVITED = 'account.invited';
