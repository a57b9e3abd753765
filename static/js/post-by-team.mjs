// Progressive enhancement for a post list grouped by team (workforce.forms.PostChoiceField):
// once a team is chosen, only that team's posts are offered. Without JavaScript the whole
// list stays, grouped by team, and the server refuses a post of another team anyway.
for (const post of document.querySelectorAll('select[data-module="app-post-by-team"]')) {
  const team = post.form && post.form.elements.namedItem(post.dataset.teamField);
  if (!team || team.tagName !== "SELECT") continue;
  const groups = Array.from(post.querySelectorAll("optgroup"));
  const show = () => {
    const chosen = team.value ? team.options[team.selectedIndex].text.trim() : "";
    for (const group of groups) {
      const visible = !chosen || group.label === chosen;
      group.hidden = !visible;
      group.disabled = !visible;
    }
    const selected = post.options[post.selectedIndex];
    if (selected && selected.parentElement.tagName === "OPTGROUP" && selected.parentElement.disabled) {
      post.value = "";
    }
  };
  team.addEventListener("change", show);
  show();
}
