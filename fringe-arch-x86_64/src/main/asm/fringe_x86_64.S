/* placeholder: replaced by the real switch */
	.section .note.GNU-stack,"",@progbits
