"""Publishing: run a notebook (papermill), export HTML (nbconvert), the headline summary."""
