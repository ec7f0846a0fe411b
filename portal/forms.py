"""Forms of the applicant portal (the application form itself is subsidy.forms)."""

from decimal import Decimal

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from subsidy.forms import YuanField
from subsidy.identifiers import is_valid_uscc, normalise_uscc
from subsidy.models import Organisation, OrgType, Region


class RegistrationForm(UserCreationForm):
    """A new organisation and its first user."""

    first_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"), help_text=_("每一步审核结果都会发到此邮箱。"))
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    org_name = forms.CharField(label=_("单位名称"), max_length=200)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    org_type = forms.ChoiceField(label=_("单位类型"), choices=OrgType.choices)
    region = forms.ModelChoiceField(label=_("所在县市区"), queryset=Region.objects.all())

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean_uscc(self):
        code = normalise_uscc(self.cleaned_data["uscc"])
        if not is_valid_uscc(code):
            raise forms.ValidationError(_("统一社会信用代码无效（校验位不符），请核对。"))
        if Organisation.objects.filter(uscc=code).exists():
            raise forms.ValidationError(
                _("该单位已注册。请联系本单位已注册的用户在“单位信息”中为您添加账号。"))
        return code

    def save(self, commit=True):
        user = super().save(commit=False)
        data = self.cleaned_data
        user.organisation = Organisation.objects.create(
            name=data["org_name"], uscc=data["uscc"], org_type=data["org_type"],
            region=data["region"], contact_name=data["first_name"], contact_phone=data["phone"],
            email=data["email"])
        user.role = Role.APPLICANT
        user.first_name, user.email, user.phone = data["first_name"], data["email"], data["phone"]
        user.save()
        return user


class MemberForm(UserCreationForm):
    """A colleague added to the organisation by one of its users."""

    first_name = forms.CharField(label=_("姓名"), max_length=150)
    email = forms.EmailField(label=_("电子邮箱"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name", "email")


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ("name", "address", "contact_name", "contact_phone", "email")


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类型"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k["kind"], k["label"]) for k in kinds]


class TransitionForm(forms.Form):
    """The opinion (and, on approval, the amount) that goes with a transition."""

    comment = forms.CharField(label=_("意见"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    amount = YuanField(label=_("核定金额（元）"), required=False, min_value=Decimal(0))
    completed_on = forms.DateField(label=_("项目完成日期"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
