from django.http import HttpResponseRedirect
from django.shortcuts import render

from .forms import BareCommentForm


def bare_comment(request):
    """The plainest Django way to take the same comment: a ModelForm, one INSERT, a 303."""
    if request.method == "POST":
        form = BareCommentForm(request.POST)
        if form.is_valid():
            form.save()
            return HttpResponseRedirect(request.path + "?sent=1", status=303)
    else:
        form = BareCommentForm()
    return render(request, "baselines/bare_comment.html", {"form": form})
