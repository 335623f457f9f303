"""Taking a Learning Portal course in the browser as a learner does: read each lesson to its
end, take each quiz. The right answers are read from the database, as a learner who studied
the lesson would know them; the page itself never tells."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from courses.models import Course, CourseModule, QuizQuestion


def answer_quiz(page: Page, quiz: CourseModule, *, wrong: int = 0) -> None:
    """Ticks the right choices of every question, except the first ``wrong`` questions."""
    questions = QuizQuestion.objects.filter(module=quiz).prefetch_related("choices")
    for number, question in enumerate(questions.order_by("position"), start=1):
        fieldset = page.locator("fieldset", has=page.get_by_text(question.text, exact=False))
        for choice in question.choices.all():
            if choice.is_correct == (number > wrong):
                fieldset.get_by_label(choice.text, exact=True).check()
                if question.kind != QuizQuestion.Kind.MULTIPLE:
                    break


def take_portal_course(
    page: Page, title: str, *, fail_first_quiz: bool = False, check=None
) -> None:
    """From the course page: Continue through every module until the course is complete."""
    check = check or (lambda: None)
    course = Course.objects.get(title=title)
    for module in CourseModule.objects.filter(course=course, required=True).order_by("position"):
        page.get_by_role("link", name=f"Continue with {module.title}").click()
        expect(page.get_by_role("heading", name=module.title, level=1)).to_be_visible()
        check()
        if module.kind == CourseModule.Kind.LESSON:
            page.get_by_role("button", name="Finish lesson").click()
            expect(page.get_by_text(f"You finished the lesson {module.title}.")).to_be_visible()
            continue
        page.get_by_role("button", name="Start quiz").click()
        if fail_first_quiz:
            answer_quiz(page, module, wrong=len(module.questions.all()))
            page.get_by_role("button", name="Submit answers").click()
            expect(page.get_by_text("You did not pass")).to_be_visible()
            check()
            page.get_by_role("button", name="Try again").click()
            fail_first_quiz = False
        answer_quiz(page, module)
        check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_text(f"You passed {module.title}.")).to_be_visible()
        check()
        page.get_by_role("link", name=f"Back to {title}").first.click()


def answer_quiz_by_keyboard(keys, quiz: CourseModule) -> None:
    """Tab into each question; Space ticks a box, the arrow keys choose within a radio group
    (Tab enters a group on its first button)."""
    page = keys.page
    for question in QuizQuestion.objects.filter(module=quiz).prefetch_related("choices"):
        inputs = page.locator(f"#question-{question.pk} input")
        values = [int(value) for value in inputs.evaluate_all("els => els.map(e => e.value)")]
        right = {choice.pk for choice in question.choices.all() if choice.is_correct}
        if question.kind == QuizQuestion.Kind.MULTIPLE:
            for index, value in enumerate(values):
                if value in right:
                    keys.tab_to(inputs.nth(index))
                    keys.press("Space")
            continue
        index = next(index for index, value in enumerate(values) if value in right)
        keys.tab_to(inputs.nth(0))
        if index == 0:
            keys.press("Space")
        for _ in range(index):
            keys.press("ArrowDown")
        assert inputs.nth(index).is_checked()


def take_portal_course_by_keyboard(keys, title: str, *, check=None) -> None:
    """From the course page, with the keyboard only: Continue through every module."""
    check = check or (lambda: None)
    page = keys.page
    course = Course.objects.get(title=title)
    for module in CourseModule.objects.filter(course=course, required=True).order_by("position"):
        keys.activate(page.get_by_role("link", name=f"Continue with {module.title}"))
        check()
        if module.kind == CourseModule.Kind.LESSON:
            keys.activate(page.get_by_role("button", name="Finish lesson"))
            expect(page.get_by_text(f"You finished the lesson {module.title}.")).to_be_visible()
            continue
        keys.activate(page.get_by_role("button", name="Start quiz"))
        answer_quiz_by_keyboard(keys, module)
        keys.activate(page.get_by_role("button", name="Submit answers"))
        expect(page.get_by_text(f"You passed {module.title}.")).to_be_visible()
        check()
        keys.activate(page.get_by_role("link", name=f"Back to {title}"))
    expect(page.get_by_text("The course is complete.")).to_be_visible()
