"""Starter content of KDLA's portal courses, written for this portal: a lesson and a short
quiz per course, so the Learning Portal teaches and checks before it credits hours. Loaded by
``load_kdla_catalogue`` only into courses that have no modules yet (a course manager's later
edits in the review site are never overwritten)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from courses.models import Course, CourseModule, QuizChoice, QuizQuestion
from courses.services.lesson_html import lesson_html_sanitised

QUIZ_PASS_MARK = 80
QUIZ_ATTEMPTS = 3


@dataclass(frozen=True)
class StarterQuestion:
    text: str
    choices: list[str]
    correct: list[int]
    feedback: str = ""
    kind: str = QuizQuestion.Kind.SINGLE


@dataclass(frozen=True)
class StarterCourse:
    lesson_title: str
    lesson_html: str
    questions: list[StarterQuestion] = field(default_factory=list)


def _true_false(text: str, *, true: bool, feedback: str) -> StarterQuestion:
    return StarterQuestion(
        text=text,
        choices=["True", "False"],
        correct=[0 if true else 1],
        feedback=feedback,
        kind=QuizQuestion.Kind.TRUE_FALSE,
    )


STARTER_CONTENT: dict[str, StarterCourse] = {
    "Customer Service Basics": StarterCourse(
        "Welcoming every patron",
        """<h2>First impressions</h2>
<p>Every visit starts at the desk. Look up, smile and greet each person within a few seconds,
even when you are busy: "I'll be right with you" tells a patron they have been seen.</p>
<h2>Listening</h2>
<ul><li>Let the patron finish before you answer.</li>
<li>Repeat the request in your own words to check you understood it.</li>
<li>Ask open questions: "What would you like to find?"</li></ul>
<h2>Following through</h2>
<p>Walk with the patron to the shelf or screen when you can, and check back: "Did you find
what you needed?" If you cannot help, say who can, and when.</p>""",
        [
            StarterQuestion(
                "A patron arrives while you are on the phone. What do you do first?",
                [
                    "Acknowledge them with a look or a quick word",
                    "Finish the call before looking up",
                    "Point them to the catalogue",
                ],
                [0],
                "A quick acknowledgement tells the patron they have been seen.",
            ),
            StarterQuestion(
                "Which of these are good listening habits? (choose all that apply)",
                [
                    "Repeat the request in your own words",
                    "Ask open questions",
                    "Answer before the patron finishes",
                ],
                [0, 1],
                "Restating and open questions make sure you understood the request.",
                QuizQuestion.Kind.MULTIPLE,
            ),
            _true_false(
                "Following through means checking back with the patron.",
                true=True,
                feedback="Checking back shows the question was answered.",
            ),
        ],
    ),
    "Reference Basics": StarterCourse(
        "The reference interview",
        """<h2>Why interview?</h2>
<p>The first question a patron asks is rarely the whole question. A short, friendly
conversation finds out what they really need.</p>
<h2>Steps</h2>
<ol><li>Approach: be available and welcoming.</li>
<li>Listen and ask open questions.</li>
<li>Search, explaining what you are doing.</li>
<li>Follow up: "Does this answer your question?"</li></ol>
<h2>Sources</h2>
<p>Use the catalogue, reference books and the <a href="https://kyvl.org/">Kentucky Virtual
Library</a> databases before a general web search.</p>""",
        [
            StarterQuestion(
                "Why hold a reference interview?",
                [
                    "To find out what the patron really needs",
                    "To decide whether the patron may use the library",
                    "To keep the patron waiting",
                ],
                [0],
                "The first question is rarely the whole question.",
            ),
            StarterQuestion(
                "Which step comes last in the reference interview?",
                ["Follow up", "Approach", "Search"],
                [0],
                "Following up checks that the answer fits the question.",
            ),
            _true_false(
                "A general web search is always the best first source.",
                true=False,
                feedback="Start with the catalogue, reference books and library databases.",
            ),
        ],
    ),
    "Solving Difficult Situations in the Library": StarterCourse(
        "Staying calm, safe and fair",
        """<h2>Stay calm</h2>
<p>Speak slowly and quietly, keep a relaxed posture and give the person room. A calm voice
lowers the temperature of most conversations.</p>
<h2>Apply the policy, not your mood</h2>
<p>Know your library's behaviour policy and apply it the same way to everyone. Explain the
rule and what happens next.</p>
<h2>Safety first</h2>
<p>If anyone is in danger, step away and call 911. Afterwards write down what happened and
tell your director.</p>""",
        [
            StarterQuestion(
                "A patron raises their voice at the desk. What helps most?",
                [
                    "Speak slowly and quietly",
                    "Raise your voice to match theirs",
                    "Walk away without a word",
                ],
                [0],
                "A calm voice lowers the temperature.",
            ),
            _true_false(
                "The behaviour policy should be applied the same way to everyone.",
                true=True,
                feedback="Fair and consistent enforcement is the point of a policy.",
            ),
            StarterQuestion(
                "Someone is in danger. What do you do?",
                ["Step away and call 911", "Finish the conversation first", "Close the library"],
                [0],
                "Safety comes before everything else.",
            ),
        ],
    ),
    "Readers' Advisory Basics": StarterCourse(
        "Appeal factors",
        """<h2>What makes a reader love a book?</h2>
<p>Readers often describe the <em>feel</em> of a book more than its subject. Appeal
factors name that feel:</p>
<dl><dt>Pacing</dt><dd>Fast and gripping, or leisurely.</dd>
<dt>Characters</dt><dd>Who the story is about and how well we come to know them.</dd>
<dt>Story line</dt><dd>The kind of plot: action, relationships, ideas.</dd>
<dt>Frame</dt><dd>Setting and tone.</dd></dl>
<h2>The conversation</h2>
<p>Ask "Tell me about a book you enjoyed" and listen for appeal, then suggest two or three
titles, not one.</p>""",
        [
            StarterQuestion(
                "Which of these is an appeal factor?",
                ["Pacing", "The book's price", "The call number"],
                [0],
                "Pacing describes how a book feels to read.",
            ),
            StarterQuestion(
                "What is a good opening question in a readers' advisory conversation?",
                [
                    "Tell me about a book you enjoyed",
                    "What is your library card number?",
                    "Do you read?",
                ],
                [0],
                "It invites the reader to describe the appeal they are after.",
            ),
            _true_false(
                "It is better to suggest several titles than one.",
                true=True,
                feedback="A few choices let the reader pick what fits.",
            ),
        ],
    ),
}


def _general_starter(course: Course) -> StarterCourse:
    """The other portal courses get an introduction lesson and a one-question check, enough to
    take them in the demo; course managers replace them with full content."""
    return StarterCourse(
        f"Introduction to {course.title}",
        f"<h2>About this course</h2><p>{course.description}</p>"
        "<p>Read this introduction to its end, then answer the short check that follows.</p>",
        [
            _true_false(
                f"This course is about: {course.description}",
                true=True,
                feedback="The course description says what the course covers.",
            )
        ],
    )


@transaction.atomic
def load_starter_modules(course: Course) -> None:
    """Adds the starter lesson and quiz to a course that has no modules yet."""
    if CourseModule.objects.filter(course=course).exists():
        return
    starter = STARTER_CONTENT.get(course.title) or _general_starter(course)
    CourseModule.objects.create(
        course=course,
        position=1,
        title=starter.lesson_title,
        kind=CourseModule.Kind.LESSON,
        body=lesson_html_sanitised(starter.lesson_html),
    )
    quiz = CourseModule.objects.create(
        course=course,
        position=2,
        title=f"{course.title}: check your understanding",
        kind=CourseModule.Kind.QUIZ,
        pass_mark_percent=QUIZ_PASS_MARK,
        max_attempts=QUIZ_ATTEMPTS,
    )
    for position, item in enumerate(starter.questions, start=1):
        question = QuizQuestion.objects.create(
            module=quiz, position=position, text=item.text, kind=item.kind, feedback=item.feedback
        )
        # One by one rather than in bulk, so each choice has its History.
        for number, text in enumerate(item.choices, start=1):
            QuizChoice.objects.create(
                question=question,
                position=number,
                text=text,
                is_correct=number - 1 in item.correct,
            )
