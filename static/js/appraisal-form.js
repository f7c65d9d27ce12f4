// The appraisal form's subtotals, kept up to date while the assessor scores. The bounds come
// from the server (staff/scoring.py, through json_script); the server's figures are the
// record. No inline scripts (strict CSP).
(function () {
  "use strict";

  const form = document.querySelector("[data-appraisal-form]");
  const rulesElement = document.getElementById("appraisal-rules");
  if (!form || !rulesElement) {
    return;
  }
  const rules = JSON.parse(rulesElement.textContent);
  const decimals = new Intl.NumberFormat(document.documentElement.lang || undefined, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });

  function competencyScore(percentage) {
    for (const [bound, score] of rules.scoreBounds) {
      if (percentage <= bound) {
        return score;
      }
    }
    return rules.scoreMax;
  }

  function category(finalScore) {
    for (const [bound, label] of rules.categoryBounds) {
      if (finalScore >= bound) {
        return label;
      }
    }
    return rules.lowestCategory;
  }

  function setText(root, selector, text) {
    const element = root.querySelector(selector);
    if (element) {
      element.textContent = text;
    }
  }

  function checkedScore(group) {
    const checked = group.querySelector("input[data-score]:checked");
    return checked && checked.value !== "" ? Number(checked.value) : null;
  }

  function recompute() {
    let grandTotal = 0;
    let competencies = 0;
    let complete = 0;
    let scored = 0;
    form.querySelectorAll("[data-area]").forEach((area) => {
      let areaTotal = 0;
      area.querySelectorAll("[data-competency]").forEach((competency) => {
        competencies += 1;
        const groups = competency.querySelectorAll("[role=group]");
        let total = 0;
        let missing = 0;
        groups.forEach((group) => {
          const score = checkedScore(group);
          if (score === null) {
            missing += 1;
          } else {
            total += score;
            scored += 1;
          }
        });
        setText(competency, "[data-total]", String(total));
        if (missing === 0 && groups.length > 0) {
          const percentage = (total * 100) / (groups.length * rules.indicatorMax);
          const score = competencyScore(percentage);
          setText(competency, "[data-percentage]", decimals.format(percentage) + "%");
          setText(competency, "[data-competency-score]", String(score));
          areaTotal += score;
          grandTotal += score;
          complete += 1;
        } else {
          setText(competency, "[data-percentage]", "–");
          setText(competency, "[data-competency-score]", "–");
        }
      });
      setText(area, "[data-area-total]", String(areaTotal));
    });
    setText(document, "[data-scored]", String(scored));
    if (competencies > 0 && complete === competencies) {
      const finalScore = (grandTotal * 100) / (competencies * rules.scoreMax);
      setText(document, "[data-grand-total]", String(grandTotal));
      setText(document, "[data-final-score]", decimals.format(finalScore));
      setText(document, "[data-category]", category(finalScore));
    } else {
      setText(document, "[data-grand-total]", "–");
      setText(document, "[data-final-score]", "–");
      setText(document, "[data-category]", "–");
    }
  }

  form.addEventListener("change", (event) => {
    if (event.target.matches("input[data-score]")) {
      recompute();
    }
  });

  // Finalising cannot be undone: ask first.
  form.querySelectorAll("button[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
})();
