# dd/mm/yyyy input in the admin whatever the admin language; see wagtail_policycomms.formats.
from wagtail_policycomms.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401
