"""Near-duplicate campaigns (issue 15): what grouping costs a submission, and regrouping
every comment against a plain pass over them, with its memory.

* **Regroup**: ``campaigns.grouping.regroup`` over every comment of the load (batches of
  ``BATCH_SIZE``, the command's default), from nothing each pass (the previous pass's
  signatures, band keys and campaigns removed, untimed), against a baseline that reads
  every comment the same way (keyset batches of id and text) and computes its exact text
  hash (``models.comments.text_hash``). Target ≤ 5×. Memory: the process's resident size
  is read after every batch; it must stay flat (growth after the first tenth of the
  batches under ``FLAT_MB``).
* **Submission**: a valid comment POSTed to the big consultation (whose comments were
  just grouped: the lookup reads a full band-key index) through Django's test client,
  with grouping on and off (``POLICYCOMMS_CAMPAIGN_SIMILARITY=None``), interleaved;
  medians. Half the texts are edited copies of the load's campaign letter (they join its
  campaign), half distinct. Target ≤ 1.20×.

At the end the load is left as it was found: no signatures, band keys or campaigns, the
posted comments deleted.
"""

import time
import uuid

from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from . import data
from .measure import Figure, interleaved, judge, median, ratio

#: Growth of the resident size allowed after the first tenth of a regroup pass, in MB.
FLAT_MB = 64


def _rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _reset():
    """No signatures, band keys or campaigns (untimed, between passes). Membership is
    recorded on the signatures (``CommentSignature.campaign``): it goes with them."""
    from wagtail_policycomms.models import Campaign, CampaignBandKey, CommentSignature

    with connection.cursor() as cursor:
        for model in (CampaignBandKey, CommentSignature):
            cursor.execute(f"TRUNCATE {model._meta.db_table}")
        cursor.execute(f"DELETE FROM {Campaign._meta.db_table}")


def _baseline_pass(batch_size):
    from wagtail_policycomms.models import PublicComment
    from wagtail_policycomms.models.comments import text_hash

    last, hashes = 0, 0
    while True:
        rows = list(
            PublicComment.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "body")[:batch_size]
        )
        if not rows:
            return hashes
        for _pk, body in rows:
            text_hash(body)
            hashes += 1
        last = rows[-1][0]


def regroup(ctx):
    from wagtail_policycomms.campaigns import grouping

    batch_size = grouping.BATCH_SIZE
    samples = []

    def progress(done, total):
        samples.append(_rss_kb())

    def run_regroup():
        samples.clear()
        return grouping.regroup(batch_size=batch_size, progress=progress)

    _reset()
    rss = []

    def between(name):
        if name == "regroup":
            rss.append(list(samples))
            _reset()

    times = interleaved(
        {"baseline": lambda: _baseline_pass(batch_size), "regroup": run_regroup},
        ctx.reps_slow,
        warmup=1 if ctx.size in ("smoke", "small") else 0,
        between=between,
    )
    outcome = run_regroup()  # once more, kept for the submission figure
    growth_mb = max(((max(s) - s[max(0, len(s) // 10 - 1)]) / 1024 for s in rss if s), default=None)
    figure = Figure(
        key="campaigns_regroup",
        title=f"Regroup every comment into campaigns ({ctx.state['comments']:,})",
        value=median(times["regroup"]),
        baseline=median(times["baseline"]),
        baseline_name="read every comment in the same batches and compute its text hash",
        target=f"<= 5x; resident memory flat (growth < {FLAT_MB} MB after the first tenth)",
        details={
            "times": times["regroup"],
            "baseline_times": times["baseline"],
            "batch_size": batch_size,
            "rss_growth_mb": None if growth_mb is None else round(growth_mb, 1),
            "rss_mb_first_last": [[round(s[0] / 1024), round(s[-1] / 1024)] for s in rss if s],
            "signed": outcome.signed,
            "grouped": outcome.grouped,
            "campaigns": outcome.campaigns,
        },
    )
    figure.ratio = ratio(figure.value, figure.baseline)
    return judge(
        figure,
        None if figure.ratio is None else figure.ratio <= 5,
        None if growth_mb is None else growth_mb < FLAT_MB,
    )


def submission(ctx, reps=None):
    from wagtail_policycomms.antispam import make_form_token
    from wagtail_policycomms.models import PublicComment

    reps = reps or (40 if ctx.size in ("smoke", "small") else 30)
    url = ctx.page_url(ctx.pages["consultations"][0])
    run = uuid.uuid4().hex[:8]
    client = Client(raise_request_exception=True)
    counter = iter(range(10**9))

    def body(n):
        if n % 2:
            # An edited copy of the load's campaign letter, signed: joins its campaign.
            return f"Kính gửi Ban soạn thảo. {data.CAMPAIGN_TEXT} Người gửi: Nguyễn Văn {n}."
        return (
            f"Góp ý {n}: đề nghị cơ quan chủ trì bổ sung đánh giá tác động đối với khu vực "
            f"nông thôn, công bố lộ trình {n % 7 + 2} năm và số liệu của tỉnh về chi phí "
            f"tuân thủ; mã {uuid.uuid4().hex} {uuid.uuid4().hex}."
        )

    def post():
        n = next(counter)
        response = client.post(
            url,
            {
                "article": "",
                "commenter_type": "individual",
                "display_name": "Nguyễn Văn An",
                "organisation_name": "",
                "email": f"campaign-{run}-{n}@example.vn",
                "phone": "0912 345 678",
                "address": "Số 5 phố Hiến, Hưng Yên",
                "body": body(n),
                "publish_name": "on",
                "consent": "on",
                "website": "",
                "form_token": make_form_token(timezone.now()),
            },
        )
        if response.status_code != 303:
            raise RuntimeError(f"POST {url}: HTTP {response.status_code}")

    def without_grouping():
        with override_settings(POLICYCOMMS_CAMPAIGN_SIMILARITY=None):
            post()

    try:
        times = interleaved({"with": post, "without": without_grouping}, reps, warmup=2)
        joined = (
            PublicComment.objects.filter(email__startswith=f"campaign-{run}-")
            .in_any_campaign()
            .count()
        )
    finally:
        PublicComment.objects.filter(email__startswith=f"campaign-{run}-").delete()
    figure = Figure(
        key="campaigns_submission",
        title="A comment submission with campaign grouping",
        value=median(times["with"]),
        baseline=median(times["without"]),
        baseline_name="the same submission with POLICYCOMMS_CAMPAIGN_SIMILARITY=None",
        target="<= 1.20x",
        details={
            "times": times["with"],
            "baseline_times": times["without"],
            "joined_a_campaign": joined,
        },
    )
    figure.ratio = ratio(figure.value, figure.baseline)
    return judge(figure, None if figure.ratio is None else figure.ratio <= 1.20)


def campaigns(ctx):
    """Both figures: regroup first (it leaves the load grouped), then submissions."""
    started = time.monotonic()
    try:
        yield regroup(ctx)
        ctx.log(f"   (regroup figure {time.monotonic() - started:.0f} s)")
        yield submission(ctx)
    finally:
        _reset()
