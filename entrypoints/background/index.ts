import { defineBackground } from 'wxt/utils/define-background';
export default defineBackground(() => {
  console.log('hello', import.meta.env.WXT_VT_API_URL);
});
