// Follows a background import job (templates/workforce/census/job_progress.html): every
// few seconds it asks the server for the same page; while the job runs it updates the
// status (an aria-live region), and once the page is no longer a progress page (the
// check or import is done) it shows that page. Without JavaScript the page's "Check now"
// link does the same by hand. No meta refresh: WCAG 2.2.1 forbids timed reloads.
const progress = document.querySelector("[data-job-progress]");

if (progress) {
  const interval = Number(progress.dataset.interval || "2000");
  const status = document.getElementById("job-status");

  const poll = async () => {
    try {
      const response = await fetch(window.location.href, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "job-progress" },
      });
      const text = await response.text();
      const next = new DOMParser().parseFromString(text, "text/html");
      const running = next.querySelector("[data-job-progress]");
      if (!running || response.url !== window.location.href) {
        window.location.replace(response.url);
        return;
      }
      const nextStatus = next.getElementById("job-status");
      if (status && nextStatus && status.innerHTML !== nextStatus.innerHTML) {
        status.innerHTML = nextStatus.innerHTML;
      }
    } catch (error) {
      // a dropped connection: try again at the next tick
    }
    window.setTimeout(poll, interval);
  };

  window.setTimeout(poll, interval);
}
