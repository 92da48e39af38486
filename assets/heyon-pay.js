// Heyon's side of Stripe.js: mount the card form, confirm a PaymentIntent by method, save a
// card for auto-renew with a SetupIntent.
// Card numbers stay inside Stripe's element; our server only ever sees the client secret.
window.heyonPay = (function () {
  let stripe = null;
  let elements = null;
  let card = null;
  let loading = null;

  function init(jsUrl, publishableKey, locale) {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        const tag = document.createElement("script");
        tag.src = jsUrl;
        tag.onload = function () {
          stripe = Stripe(publishableKey);
          elements = stripe.elements({ locale: locale === "en" ? "en" : "zh" });
          resolve(true);
        };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return loading.then(function () { return true; });
  }

  function waitFor(id) {
    return new Promise(function (resolve) {
      let tries = 0;
      (function look() {
        const el = document.getElementById(id);
        if (el || tries++ > 200) { resolve(el); return; }
        setTimeout(look, 25);
      })();
    });
  }

  async function mountCard() {
    await loading;
    const holder = await waitFor("card-element");
    if (!holder) { return false; }
    if (card && holder.childElementCount) { return true; }
    if (!card) {
      card = elements.create("card", { hidePostalCode: true });
    } else {
      try { card.unmount(); } catch (e) { /* the old container left the page */ }
    }
    card.mount("#card-element");
    return true;
  }

  function failure(error) {
    return { status: "error", code: (error && error.code) || "", message: (error && error.message) || "" };
  }

  async function pay(args) {
    await loading;
    try {
      if (args.method === "card") {
        await mountCard();
        const result = await stripe.confirmCardPayment(args.secret, { payment_method: { card: card } });
        // resultPath: where to go even if the server has forgotten this tab's payment.
        return result.error ? failure(result.error) : { status: "done", resultPath: args.resultPath };
      }
      if (args.method === "alipay") {
        const result = await stripe.confirmAlipayPayment(args.secret, {
          return_url: window.location.origin + args.resultPath,
        });
        return result && result.error ? failure(result.error) : { status: "redirect" };
      }
      if (args.method === "wechat_pay") {
        const result = await stripe.confirmWechatPayPayment(
          args.secret,
          { payment_method_options: { wechat_pay: { client: "web" } } },
          { handleActions: false },
        );
        if (result.error) { return failure(result.error); }
        const qr = result.paymentIntent.next_action.wechat_pay_display_qr_code;
        return { status: "qr", image: qr.image_data_url, link: qr.hosted_instructions_url || qr.data };
      }
    } catch (e) {
      return failure({ message: String(e && e.message ? e.message : e) });
    }
    return failure({ message: "unknown method" });
  }

  async function saveCard(args) {
    await loading;
    try {
      await mountCard();
      const result = await stripe.confirmCardSetup(args.secret, { payment_method: { card: card } });
      return result.error ? failure(result.error) : { status: "done" };
    } catch (e) {
      return failure({ message: String(e && e.message ? e.message : e) });
    }
  }

  return { init: init, mountCard: mountCard, pay: pay, saveCard: saveCard };
})();
