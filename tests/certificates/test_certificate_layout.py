"""A certificate's layout: whatever name it carries, up to the 60 characters a name may have, its lines of text
stay on its one page, inside its frame, and none overlaps another (issue 14: a long name pushed the date onto
the verification code's label)."""

import io
from datetime import date
from itertools import combinations

import pytest
from pypdf import PdfReader

from civiclearn.accounts.models import User
from civiclearn.certificates import services
from civiclearn.certificates.document import certificate_pdf
from civiclearn.extensions import db
from tests.helpers import text_lines

NAME_MAX = User.__table__.c.display_name.type.length  # what the registration form accepts, too
MM = 72 / 25.4  # points
FRAME = (10 + 1.2) * MM  # from the page's edge to the inside of the frame: the margin and the double line (pdf.css)
NAMES = {
    "usual": "สมใจ ทดสอบ",
    "longest at full size": "CHRISTOPHER MAXIMILIAN WOLFE",  # document.FULL_SIZE_NAME characters
    "longest Thai": "นางสาวกาญจนาภรณ์ ณ นคร ศรีสวัสดิ์วงศ์ตระกูลมหาสารคามพงษ์ชาติ",  # few marks: wide for its length
    "longest Latin": "Maximilian Alexander Christopherson-Wolfeschlegelsteinhausen",
    "longest in capitals": "MAXIMILIAN ALEXANDER CHRISTOPHERSON-WOLFESCHLEGELSTEINHAUSEN",
}


@pytest.fixture
def certificate_for(app, sample, make_learner, make_centre, make_cohort, enrol):
    """A function: the PDF of the sample course's certificate issued to a learner of the given name, with all
    its lines (a signatory, and a date it is valid until)."""
    centre = make_centre(signatory_name="นายประเสริฐ รักษ์ถิ่น", signatory_title_th="นายกเทศมนตรีตำบลริมใต้",
                         signatory_title_en="Mayor of Rim Tai")
    cohort = make_cohort(centre)

    def issue(name: str) -> bytes:
        person = make_learner(name=name)
        enrol(person.id, cohort)
        with app.test_request_context():
            certificate = services.issue(db.session.get(User, person.id), services.course_award(sample),
                                         expires_on=date(2028, 11, 25))
            db.session.commit()
            return certificate_pdf(certificate)
    return issue


@pytest.mark.parametrize("name", NAMES.values(), ids=[f"{label}, {len(name)}" for label, name in NAMES.items()])
def test_a_name_of_any_length_fits_without_overlapping_anything(certificate_for, name, tmp_path):
    assert len(name) <= NAME_MAX
    pdf = certificate_for(name)
    page = PdfReader(io.BytesIO(pdf)).pages
    assert len(page) == 1
    width, height = (float(value) for value in page[0].mediabox.upper_right)
    lines = text_lines(pdf, tmp_path)
    outside = [line for line in lines if line.left < FRAME or line.top < FRAME or line.right > width - FRAME
               or line.bottom > height - FRAME]
    assert outside == []
    overlapping = [(one.text, other.text, overlap) for one, other in combinations(lines, 2)
                   if min(overlap := one.overlap(other)) > 0.5]  # across and down, in points
    assert overlapping == []
    if name.isascii():  # (Thai read back from a PDF can lose its marks: WeasyPrint #2841)
        assert "".join(name.split()) in "".join(line.text for line in lines)  # all of it, on the page
